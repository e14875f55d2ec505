/* Resource types for `import { Resource } from "sst/resource"`.
 * SST regenerates this file on `sst dev` / `sst deploy`; it is committed so that type checking works
 * without running the SST CLI. Keep it in step with infra/*.ts (a test checks the names). */
import "sst/resource";
declare module "sst/resource" {
  export interface Resource {
    App: { name: string; stage: string };
    Table: { name: string; type: "sst.aws.Dynamo" };
    Assets: { name: string; type: "sst.aws.Bucket" };
    AssetsUrl: { url: string; type: "sst.sst.Linkable" };
    Auth: { userPoolId: string; clientId: string; issuer: string; type: "sst.sst.Linkable" };
    IamApiKey: { value: string; type: "sst.sst.Secret" };
    IamCursorSecret: { value: string; type: "sst.sst.Secret" };
    IamKeyIdSecret: { value: string; type: "sst.sst.Secret" };
    EventBus: { name: string; arn: string; type: "sst.aws.Bus" };
    WebhookQueue: { url: string; type: "sst.aws.Queue" };
    IamWebhookUrls: { value: string; type: "sst.sst.Secret" };
    IamWebhookSecret: { value: string; type: "sst.sst.Secret" };
  }
}
export {};
