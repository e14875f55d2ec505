/**
 * cognito-local, composed from its own pieces as its `lib/server/defaults.js` does, with two
 * changes: the durable DataStore of ./store.ts instead of stormdb, and the targets of
 * ./targets.ts where cognito-local differs from AWS. Run as a child process by ../emulators.ts:
 * `node --import tsx main.ts <folder>`, with PORT and HOST in the environment (cognito-local's
 * config reads them). Data layout as stock cognito-local: `<folder>/.cognito/config.json`,
 * `<folder>/.cognito/db/*.json`.
 *
 * Composed rather than patched: the changes are typed TypeScript in this package, checked by
 * `npm run typecheck`, instead of a patch against cognito-local's bundled JS applied at install.
 * These are deep imports into cognito-local, so its version is pinned exactly in package.json.
 */
import { join, resolve } from "node:path";
import AWS from "aws-sdk";
import { loadConfig } from "cognito-local/lib/server/config.js";
import { Router, type Route } from "cognito-local/lib/server/Router.js";
import { createServer } from "cognito-local/lib/server/server.js";
import { CognitoServiceFactoryImpl } from "cognito-local/lib/services/cognitoService.js";
import { CryptoService } from "cognito-local/lib/services/crypto.js";
import {
  DateClock,
  LambdaService,
  MessagesService,
  TriggersService,
  type Services,
} from "cognito-local/lib/services/index.js";
import { ConsoleMessageSender } from "cognito-local/lib/services/messageDelivery/consoleMessageSender.js";
import { MessageDeliveryService } from "cognito-local/lib/services/messageDelivery/messageDelivery.js";
import { otp } from "cognito-local/lib/services/otp.js";
import { JwtTokenGenerator } from "cognito-local/lib/services/tokenGenerator.js";
import { UserPoolServiceFactoryImpl } from "cognito-local/lib/services/userPoolService.js";
import pino from "pino";
import { whenParentGoes } from "../parent.ts";
import { DurableDataStoreFactory } from "./store.ts";
import { targets } from "./targets.ts";

// Started by the local stack, ends with it (every acknowledged write is already on disk).
whenParentGoes(() => process.exit(0));

const folder = resolve(process.argv[2] ?? ".");
const configDirectory = join(folder, ".cognito");
const dataDirectory = join(configDirectory, "db");

const logger = pino({ level: process.env.DEBUG ? "debug" : "info" });
const ctx = { logger };

const config = await loadConfig(ctx, new DurableDataStoreFactory(configDirectory));
const clock = new DateClock();
const dataStoreFactory = new DurableDataStoreFactory(dataDirectory);
const cognito = await new CognitoServiceFactoryImpl(
  dataDirectory,
  dataStoreFactory,
  new UserPoolServiceFactoryImpl(clock, dataStoreFactory),
).create(ctx, config.UserPoolDefaults);
const triggers = new TriggersService(
  clock,
  cognito,
  new LambdaService(config.TriggerFunctions, new AWS.Lambda(config.LambdaClient)),
  new CryptoService(config.KMSConfig),
);
const services: Services = {
  clock,
  cognito,
  config,
  messages: new MessagesService(triggers, new MessageDeliveryService(new ConsoleMessageSender())),
  otp,
  tokenGenerator: new JwtTokenGenerator(clock, triggers, config.TokenConfig),
  triggers,
};

const own: Record<string, Route> = Object.fromEntries(
  Object.entries(targets).map(([name, target]) => [name, target(services)]),
);
const stock = Router(services);
const router = (name: string): Route => {
  const target = own[name];
  if (!target) return stock(name);
  return (context, req) => target({ ...context, logger: context.logger.child({ target: name }) }, req);
};

const server = await createServer(router, logger, config.ServerConfig, services).start();
logger.info({ address: server.address() }, "cognito-local listening");
