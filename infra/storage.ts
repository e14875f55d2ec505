import { readdirSync } from "node:fs";
import {
  BADGES_PREFIX,
  PUBLIC_PREFIXES,
  UPLOADS_PREFIX,
  UPLOAD_EXPIRY_DAYS,
} from "../packages/core/src/assets/prefixes.ts";
import { TableDefinition } from "../packages/core/src/dynamo/table.ts";
import { isProduction } from "./stage.ts";

const production = isProduction($app.stage);

/**
 * Linking a table or a bucket gives the code its name (`Resource.Table.name`,
 * `Resource.Assets.name`) and nothing else. SST's own link of these components also grants
 * `dynamodb:*` or `s3:*` on all of the table or bucket (UpdateTable, DeleteTable, PutBucketPolicy,
 * DeleteBucket …); each function is granted instead exactly what its code calls
 * (infra/permissions.ts). `wrap` replaces the link of every instance of the class, so it comes
 * before any is created.
 */
sst.Linkable.wrap(sst.aws.Dynamo, (table) => ({ properties: { name: table.name } }));
sst.Linkable.wrap(sst.aws.Bucket, (bucket) => ({ properties: { name: bucket.name } }));

/**
 * The single table, built from the same `TableDefinition` the ElectroDB entities and the local
 * stack use, so keys and GSIs cannot drift. `pointInTimeRecovery` is set explicitly: SST turns it
 * on for every table, it is worth paying for on production only.
 */
export const table = new sst.aws.Dynamo("Table", {
  fields: TableDefinition.fields,
  primaryIndex: TableDefinition.primaryIndex,
  globalIndexes: TableDefinition.globalIndexes,
  ttl: TableDefinition.ttl,
  stream: "new-and-old-images",
  deletionProtection: production,
  transform: {
    table: { pointInTimeRecovery: { enabled: production } },
  },
});

/**
 * Badge icons and avatars. Only the public prefixes (`badges/`, `avatars/`) are readable by
 * anyone, since the API returns their plain URLs; avatar uploads land under `uploads/`, private
 * until the service checks them and publishes a copy under `avatars/`, and expire after a day
 * when never confirmed. Not SST's `access: "public"`, which makes every key readable.
 * The public access block keeps ACLs off and lets this one public policy through.
 */
export const assets = new sst.aws.Bucket("Assets", {
  policy: [{ principals: "*", actions: ["s3:GetObject"], paths: PUBLIC_PREFIXES.map((prefix) => `${prefix}*`) }],
  lifecycle: [{ id: "expire-unconfirmed-uploads", prefix: UPLOADS_PREFIX, expiresIn: `${UPLOAD_EXPIRY_DAYS} day` }],
  transform: {
    publicAccessBlock: {
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    },
  },
});

/** Where the badge icons live in the repository; each is uploaded as `badges/<NAME>.svg`. */
export const BADGE_ICON_DIR = "packages/core/assets/badges";

export const badgeIcons = readdirSync(BADGE_ICON_DIR)
  .filter((file) => file.endsWith(".svg"))
  .sort()
  .map(
    (file) =>
      new aws.s3.BucketObjectv2(`BadgeIcon${file.slice(0, -".svg".length)}`, {
        bucket: assets.name,
        key: `${BADGES_PREFIX}${file}`,
        source: $asset(`${BADGE_ICON_DIR}/${file}`),
        contentType: "image/svg+xml",
        cacheControl: "public, max-age=86400",
      }),
  );

/**
 * The public base URL of the bucket (`Resource.AssetsUrl.url`). The regional endpoint: the legacy
 * global one (`bucket.domain`) redirects for buckets outside us-east-1 while DNS settles.
 */
export const assetsUrl = new sst.Linkable("AssetsUrl", {
  properties: { url: $interpolate`https://${assets.nodes.bucket.bucketRegionalDomainName}` },
});
