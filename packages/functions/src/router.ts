import { adminRouter } from "./routers/admin.ts";
import { authRouter } from "./routers/auth.ts";
import { publicRouter } from "./routers/public.ts";
import { userRouter } from "./routers/user.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  auth: authRouter,
  user: userRouter,
  public: publicRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
