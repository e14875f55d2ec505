import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { clientOptions, once } from "./aws.ts";

/** The webhook sender's client. */
export const sqs = once(() => new SQSClient(clientOptions()));

/** Puts one message on the queue, delivered after `delaySeconds` (SQS allows at most 900). */
export const sendMessage = async (queueUrl: string, body: string, delaySeconds: number): Promise<void> => {
  await sqs().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, DelaySeconds: delaySeconds }));
};
