import { authRouter } from "./routers/auth.ts";
import { publicRouter } from "./routers/public.ts";
import { userRouter } from "./routers/user.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  auth: authRouter,
  user: userRouter,
  public: publicRouter,
});

export type AppRouter = typeof appRouter;
