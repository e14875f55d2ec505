import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";

/**
 * SDK clients, created once per process on first use. Region, credentials and endpoint
 * overrides (`AWS_ENDPOINT_URL_DYNAMODB`, …) come from the standard AWS environment.
 */
const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};

export const dynamo = once(() => new DynamoDBClient({ maxAttempts: 3 }));
export const documentClient = once(() =>
  DynamoDBDocumentClient.from(dynamo(), { marshallOptions: { removeUndefinedValues: true } }),
);
export const cognito = once(() => new CognitoIdentityProviderClient({ maxAttempts: 3 }));
export const s3 = once(() => new S3Client({ forcePathStyle: true }));
