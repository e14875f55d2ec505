/**
 * Types for SST's config globals (`$config`, `$app`, `$interpolate`, `$asset`, `$dev`, `sst.*`,
 * `aws.*`) — only the parts sst.config.ts and infra/*.ts use, copied from SST 4.17's platform
 * (`platform/src/components/**`) and @pulumi/aws 7.20, the versions SST 4.17 installs.
 *
 * SST normally generates the full types into `.sst/platform/config.d.ts` on `sst install`, which
 * downloads Pulumi and cannot run offline. This file lets `tsc -p tsconfig.json` check the infra
 * without it. With the real platform installed, `npx tsc -p infra/tsconfig.sst.json` checks the
 * same files against SST's own types instead (see docs/DEPLOY.md).
 */
export {};

declare global {
  namespace $SST {
    /** A value known only at deploy time (Pulumi `Output<T>`). */
    interface Output<T> {
      apply<U>(fn: (value: T) => U): Output<U>;
    }
    type Input<T> = T | Promise<T> | Output<T>;
    type Transform<T> = Partial<T> | ((args: T, opts: unknown, name: string) => undefined);
    type Size = `${number} ${"MB" | "GB"}`;
    type Duration = `${number} ${"second" | "seconds" | "minute" | "minutes" | "hour" | "hours" | "day" | "days"}`;
    type DurationMinutes = `${number} ${"second" | "seconds" | "minute" | "minutes"}`;

    interface App {
      name: string;
      home: "aws" | "cloudflare" | "local";
      removal?: "remove" | "retain" | "retain-all";
      protect?: boolean;
      version?: string;
      providers?: Record<string, unknown>;
    }
    interface AppInput {
      stage: string;
    }
    interface Config {
      app(input: AppInput): App | Promise<App>;
      // biome-ignore lint/suspicious/noConfusingVoidType: SST's own signature: run() may return outputs or nothing
      run(): Promise<Record<string, unknown> | void>;
    }
  }

  const $config: (input: $SST.Config) => $SST.Config;
  const $app: Readonly<{
    name: string;
    stage: string;
    removal: "remove" | "retain" | "retain-all";
    protect: boolean;
  }>;
  const $dev: boolean;
  function $interpolate(literals: TemplateStringsArray, ...placeholders: unknown[]): $SST.Output<string>;
  function $asset(path: string): unknown;

  namespace sst {
    class Secret {
      constructor(name: string, placeholder?: $SST.Input<string>);
      readonly name: $SST.Output<string>;
      readonly value: $SST.Output<string>;
    }
    interface LinkDefinition<T extends Record<string, unknown> = Record<string, unknown>> {
      properties: T;
      include?: { type: string; [key: string]: unknown }[];
    }
    class Linkable<T extends Record<string, unknown>> {
      constructor(name: string, definition: LinkDefinition<T>);
      readonly name: $SST.Output<string>;
      readonly properties: T;
      /** Replaces the link of every instance of `cls` (SST's own link of a component included). */
      static wrap<R>(cls: new (...args: never[]) => R, cb: (resource: R) => LinkDefinition): void;
    }

    namespace aws {
      interface DynamoArgs {
        fields: $SST.Input<Record<string, "string" | "number" | "binary">>;
        primaryIndex: $SST.Input<{ hashKey: $SST.Input<string>; rangeKey?: $SST.Input<string> }>;
        globalIndexes?: $SST.Input<
          Record<
            string,
            $SST.Input<{
              hashKey: $SST.Input<string | string[]>;
              rangeKey?: $SST.Input<string | string[]>;
              projection?: $SST.Input<"all" | "keys-only" | $SST.Input<string>[]>;
            }>
          >
        >;
        stream?: $SST.Input<"keys-only" | "new-image" | "old-image" | "new-and-old-images">;
        ttl?: $SST.Input<string>;
        deletionProtection?: $SST.Input<boolean>;
        transform?: {
          table?: $SST.Transform<{
            pointInTimeRecovery?: $SST.Input<{ enabled: $SST.Input<boolean> }>;
            [arg: string]: unknown;
          }>;
        };
      }
      /** platform/src/components/aws/dynamo.ts `DynamoSubscriberArgs`; the transform's keys: @pulumi/aws `lambda.EventSourceMappingArgs`. */
      interface DynamoSubscriberArgs {
        filters?: $SST.Input<$SST.Input<Record<string, unknown>>[]>;
        transform?: {
          eventSourceMapping?: $SST.Transform<{
            batchSize?: $SST.Input<number>;
            bisectBatchOnFunctionError?: $SST.Input<boolean>;
            functionResponseTypes?: $SST.Input<$SST.Input<string>[]>;
            maximumRetryAttempts?: $SST.Input<number>;
            maximumRecordAgeInSeconds?: $SST.Input<number>;
            parallelizationFactor?: $SST.Input<number>;
            startingPosition?: $SST.Input<"LATEST" | "TRIM_HORIZON">;
            [arg: string]: unknown;
          }>;
        };
      }
      class Dynamo {
        constructor(name: string, args: DynamoArgs);
        readonly name: $SST.Output<string>;
        readonly arn: $SST.Output<string>;
        /** A function on the table's stream (an event source mapping); SST grants it the stream's read actions. */
        subscribe(
          name: string,
          subscriber: $SST.Input<string | FunctionArgs>,
          args?: DynamoSubscriberArgs,
        ): $SST.Output<unknown>;
      }

      interface BucketArgs {
        access?: $SST.Input<"public" | "cloudfront">;
        policy?: $SST.Input<
          $SST.Input<{
            effect?: $SST.Input<"allow" | "deny">;
            actions: $SST.Input<$SST.Input<string>[]>;
            principals: $SST.Input<
              | "*"
              | $SST.Input<{
                  type: $SST.Input<"aws" | "service" | "federated" | "canonical">;
                  identifiers: $SST.Input<$SST.Input<string>[]>;
                }>[]
            >;
            conditions?: $SST.Input<
              $SST.Input<{
                test: $SST.Input<string>;
                variable: $SST.Input<string>;
                values: $SST.Input<$SST.Input<string>[]>;
              }>[]
            >;
            /** Key patterns under the bucket ARN (`images/*`); default the bucket and every key. */
            paths?: $SST.Input<$SST.Input<string>[]>;
          }>[]
        >;
        lifecycle?: $SST.Input<
          $SST.Input<{
            id?: $SST.Input<string>;
            prefix?: $SST.Input<string>;
            enabled?: $SST.Input<boolean>;
            expiresIn?: $SST.Input<`${number} ${"day" | "days"}`>;
            expiresAt?: $SST.Input<string>;
          }>[]
        >;
        versioning?: $SST.Input<boolean>;
        enforceHttps?: $SST.Input<boolean>;
        transform?: {
          publicAccessBlock?:
            | $SST.Transform<{
                blockPublicAcls?: $SST.Input<boolean>;
                blockPublicPolicy?: $SST.Input<boolean>;
                ignorePublicAcls?: $SST.Input<boolean>;
                restrictPublicBuckets?: $SST.Input<boolean>;
              }>
            | false;
        };
      }
      class Bucket {
        constructor(name: string, args?: BucketArgs);
        readonly name: $SST.Output<string>;
        readonly arn: $SST.Output<string>;
        /** `${bucketName}.s3.amazonaws.com` */
        readonly domain: $SST.Output<string>;
        readonly nodes: { bucket: { bucketRegionalDomainName: $SST.Output<string>; arn: $SST.Output<string> } };
      }

      interface CognitoUserPoolArgs {
        usernames?: $SST.Input<$SST.Input<"email" | "phone">[]>;
        aliases?: $SST.Input<$SST.Input<"email" | "phone" | "preferred_username">[]>;
        triggers?: $SST.Input<{
          /** A handler path, function args, or the ARN of an existing function. */
          preTokenGeneration?: $SST.Input<string>;
          preTokenGenerationVersion?: "v1" | "v2";
        }>;
        transform?: {
          userPool?: $SST.Transform<{
            userPoolTier?: $SST.Input<"LITE" | "ESSENTIALS" | "PLUS">;
            autoVerifiedAttributes?: $SST.Input<$SST.Input<string>[]>;
            userAttributeUpdateSettings?: $SST.Input<{
              attributesRequireVerificationBeforeUpdates: $SST.Input<$SST.Input<"email" | "phone_number">[]>;
            }>;
            passwordPolicy?: $SST.Input<{
              minimumLength?: $SST.Input<number>;
              requireLowercase?: $SST.Input<boolean>;
              requireUppercase?: $SST.Input<boolean>;
              requireNumbers?: $SST.Input<boolean>;
              requireSymbols?: $SST.Input<boolean>;
              temporaryPasswordValidityDays?: $SST.Input<number>;
            }>;
            adminCreateUserConfig?: $SST.Input<{ allowAdminCreateUserOnly?: $SST.Input<boolean> }>;
            accountRecoverySetting?: $SST.Input<{
              recoveryMechanisms?: $SST.Input<{ name: $SST.Input<string>; priority: $SST.Input<number> }[]>;
            }>;
            deletionProtection?: $SST.Input<"ACTIVE" | "INACTIVE">;
          }>;
        };
      }
      class CognitoUserPool {
        constructor(name: string, args?: CognitoUserPoolArgs);
        readonly id: $SST.Output<string>;
        readonly arn: $SST.Output<string>;
      }

      interface FunctionPermissionArgs {
        effect?: "allow" | "deny";
        actions: string[];
        resources: $SST.Input<$SST.Input<string>[]>;
        conditions?: $SST.Input<
          $SST.Input<{
            test: $SST.Input<string>;
            variable: $SST.Input<string>;
            values: $SST.Input<$SST.Input<string>[]>;
          }>[]
        >;
      }
      interface FunctionArgs {
        /** A directory built beforehand, zipped as it is (SST's own build does not run); `handler` is inside it. */
        bundle?: $SST.Input<string>;
        handler: $SST.Input<string>;
        runtime?: $SST.Input<"nodejs18.x" | "nodejs20.x" | "nodejs22.x" | "nodejs24.x">;
        architecture?: $SST.Input<"x86_64" | "arm64">;
        memory?: $SST.Input<$SST.Size>;
        timeout?: $SST.Input<$SST.DurationMinutes>;
        environment?: $SST.Input<Record<string, $SST.Input<string>>>;
        nodejs?: $SST.Input<{
          minify?: $SST.Input<boolean>;
          sourcemap?: $SST.Input<boolean>;
          format?: $SST.Input<"cjs" | "esm">;
          install?: $SST.Input<string[] | Record<string, string>>;
          banner?: $SST.Input<string>;
        }>;
        link?: $SST.Input<unknown[]>;
        permissions?: $SST.Input<FunctionPermissionArgs[]>;
        concurrency?: $SST.Input<{ provisioned?: $SST.Input<number>; reserved?: $SST.Input<number> }>;
      }
      // biome-ignore lint/suspicious/noShadowRestrictedNames: SST's name for it (sst.aws.Function)
      class Function {
        constructor(name: string, args: FunctionArgs);
        readonly arn: $SST.Output<string>;
        readonly name: $SST.Output<string>;
      }

      /** platform/src/components/aws/bus.ts `BusArgs`, `BusSubscriberArgs`. */
      interface BusArgs {
        logging?: $SST.Input<{ level: $SST.Input<"error" | "info" | "trace">; detail?: $SST.Input<boolean> }>;
        transform?: { bus?: $SST.Transform<Record<string, unknown>> };
      }
      interface BusSubscriberArgs {
        enabled?: $SST.Input<boolean>;
        pattern?: $SST.Input<{ source?: unknown[]; detail?: Record<string, unknown>; detailType?: unknown[] }>;
        transform?: {
          rule?: $SST.Transform<Record<string, unknown>>;
          target?: $SST.Transform<Record<string, unknown>>;
        };
      }
      class Bus {
        constructor(name: string, args?: BusArgs);
        readonly name: $SST.Output<string>;
        readonly arn: $SST.Output<string>;
        /** A rule of the bus that sends matching events to a queue (and the queue policy letting EventBridge in). */
        subscribeQueue(name: string, queue: $SST.Input<string | Queue>, args?: BusSubscriberArgs): $SST.Output<unknown>;
        /** A rule of the bus that invokes a function with matching events (and the permission letting EventBridge in). */
        subscribe(
          name: string,
          subscriber: $SST.Input<string | FunctionArgs>,
          args?: BusSubscriberArgs,
        ): $SST.Output<unknown>;
      }

      /** platform/src/components/aws/queue.ts `QueueArgs`, `QueueSubscriberArgs`. */
      interface QueueArgs {
        fifo?: $SST.Input<boolean | { contentBasedDeduplication?: $SST.Input<boolean> }>;
        delay?: $SST.Input<$SST.DurationMinutes>;
        visibilityTimeout?: $SST.Input<$SST.Duration>;
        dlq?: $SST.Input<string | { queue: $SST.Input<string>; retry: $SST.Input<number> }>;
        transform?: {
          queue?: $SST.Transform<{ messageRetentionSeconds?: $SST.Input<number>; [arg: string]: unknown }>;
        };
      }
      interface QueueSubscriberArgs {
        filters?: $SST.Input<$SST.Input<Record<string, unknown>>[]>;
        batch?: $SST.Input<{
          size?: $SST.Input<number>;
          window?: $SST.Input<$SST.DurationMinutes>;
          partialResponses?: $SST.Input<boolean>;
        }>;
        transform?: {
          eventSourceMapping?: $SST.Transform<Record<string, unknown>>;
          function?: $SST.Transform<FunctionArgs>;
        };
      }
      class Queue {
        constructor(name: string, args?: QueueArgs);
        readonly arn: $SST.Output<string>;
        readonly url: $SST.Output<string>;
        /** The queue's one consumer function (an event source mapping); SST grants it receive, delete and visibility actions. */
        subscribe(subscriber: $SST.Input<string | FunctionArgs>, args?: QueueSubscriberArgs): $SST.Output<unknown>;
      }

      /** The scheduled job (SST 4's `sst.aws.Cron`: an EventBridge rule invoking a function). */
      interface CronArgs {
        schedule: $SST.Input<`rate(${string})` | `cron(${string})`>;
        function?: $SST.Input<string | FunctionArgs>;
        enabled?: $SST.Input<boolean>;
        event?: $SST.Input<Record<string, $SST.Input<string>>>;
      }
      class Cron {
        constructor(name: string, args: CronArgs);
        readonly nodes: { readonly function: $SST.Output<Function>; readonly rule: unknown; readonly target: unknown };
      }

      interface ApiGatewayV2Args {
        cors?: $SST.Input<
          | boolean
          | {
              allowCredentials?: $SST.Input<boolean>;
              allowHeaders?: $SST.Input<$SST.Input<string>[]>;
              allowOrigins?: $SST.Input<$SST.Input<string>[]>;
              allowMethods?: $SST.Input<
                $SST.Input<"*" | "DELETE" | "GET" | "HEAD" | "OPTIONS" | "PATCH" | "POST" | "PUT">[]
              >;
              exposeHeaders?: $SST.Input<$SST.Input<string>[]>;
              maxAge?: $SST.Input<$SST.Duration>;
            }
        >;
        transform?: {
          stage?: $SST.Transform<{
            defaultRouteSettings?: $SST.Input<{
              throttlingRateLimit?: $SST.Input<number>;
              throttlingBurstLimit?: $SST.Input<number>;
              detailedMetricsEnabled?: $SST.Input<boolean>;
            }>;
          }>;
        };
      }
      class ApiGatewayV2 {
        constructor(name: string, args?: ApiGatewayV2Args);
        readonly url: $SST.Output<string>;
        /** `handler`: a handler path, function args, or the ARN of an existing function. */
        route(route: string, handler: $SST.Input<string>): unknown;
      }
    }
  }

  namespace aws {
    function getRegionOutput(): { region: $SST.Output<string> };
    namespace s3 {
      class BucketObjectv2 {
        constructor(
          name: string,
          args: {
            bucket: $SST.Input<string>;
            key: $SST.Input<string>;
            source?: $SST.Input<unknown>;
            contentType?: $SST.Input<string>;
            cacheControl?: $SST.Input<string>;
          },
        );
      }
    }
    namespace cognito {
      class UserGroup {
        constructor(
          name: string,
          args: {
            userPoolId: $SST.Input<string>;
            name?: $SST.Input<string>;
            precedence?: $SST.Input<number>;
            description?: $SST.Input<string>;
          },
        );
      }
      class UserPoolClient {
        constructor(
          name: string,
          args: {
            userPoolId: $SST.Input<string>;
            name?: $SST.Input<string>;
            generateSecret?: $SST.Input<boolean>;
            explicitAuthFlows?: $SST.Input<$SST.Input<string>[]>;
            preventUserExistenceErrors?: $SST.Input<"ENABLED" | "LEGACY">;
            readAttributes?: $SST.Input<$SST.Input<string>[]>;
            writeAttributes?: $SST.Input<$SST.Input<string>[]>;
            allowedOauthFlows?: $SST.Input<$SST.Input<string>[]>;
            allowedOauthFlowsUserPoolClient?: $SST.Input<boolean>;
            enableTokenRevocation?: $SST.Input<boolean>;
            accessTokenValidity?: $SST.Input<number>;
            idTokenValidity?: $SST.Input<number>;
            refreshTokenValidity?: $SST.Input<number>;
            tokenValidityUnits?: $SST.Input<{
              accessToken?: $SST.Input<"seconds" | "minutes" | "hours" | "days">;
              idToken?: $SST.Input<"seconds" | "minutes" | "hours" | "days">;
              refreshToken?: $SST.Input<"seconds" | "minutes" | "hours" | "days">;
            }>;
          },
        );
        readonly id: $SST.Output<string>;
      }
    }
  }
}
