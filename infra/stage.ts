/**
 * The stage that holds real users (`prod`). On it the app is `removal: "retain"` and `protect`ed, the
 * table and the user pool are deletion-protected and the table keeps point-in-time recovery.
 * Every other stage (personal `sst dev` stages, CI) is disposable.
 *
 * A pure module: `sst.config.ts` imports it in `app()`, before SST's `$app` exists.
 */
export const PRODUCTION_STAGE = "prod";
/** `production` is accepted as the same stage, so the longer spelling is never deployed unprotected. */
const PRODUCTION_STAGES: readonly string[] = [PRODUCTION_STAGE, "production"];

export const isProduction = (stage: string | undefined): boolean =>
  stage !== undefined && PRODUCTION_STAGES.includes(stage);
