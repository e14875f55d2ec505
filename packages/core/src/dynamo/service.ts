import { Service } from "electrodb";
import { documentClient } from "../adapters/aws.ts";
import { Config } from "../config.ts";
import { ActivationEntity } from "./entities/activation.ts";
import { ApiKeyEntity } from "./entities/apikey.ts";
import { DeadLetterEntity } from "./entities/dead-letter.ts";
import { DeletionEntity } from "./entities/deletion.ts";
import { EventEntity } from "./entities/event.ts";
import { IdempotencyEntity } from "./entities/idempotency.ts";
import { IntentEntity } from "./entities/intent.ts";
import { LoginFailureEntity } from "./entities/login-failure.ts";
import { PasswordResetEntity, ResetPointerEntity } from "./entities/password-reset.ts";
import { UniqueEntity } from "./entities/unique.ts";
import { UserEntity } from "./entities/user.ts";

const entities = {
  user: UserEntity,
  unique: UniqueEntity,
  activation: ActivationEntity,
  deletion: DeletionEntity,
  apiKey: ApiKeyEntity,
  loginFailure: LoginFailureEntity,
  passwordReset: PasswordResetEntity,
  resetPointer: ResetPointerEntity,
  intent: IntentEntity,
  idempotency: IdempotencyEntity,
  event: EventEntity,
  deadLetter: DeadLetterEntity,
};

const make = () => new Service(entities, { client: documentClient(), table: Config.tableName });
let service: ReturnType<typeof make> | undefined;

/** The ElectroDB service over the single table, bound on first use to the configured table. */
export const db = () => (service ??= make());
