import { adminRouter } from "./routers/admin.ts";
import { authRouter } from "./routers/auth.ts";
import { avatarRouter } from "./routers/avatar.ts";
import { directoryRouter } from "./routers/directory.ts";
import { passwordRouter } from "./routers/password.ts";
import { profileRouter } from "./routers/profile.ts";
import { publicRouter } from "./routers/public.ts";
import { sessionRouter } from "./routers/session.ts";
import { userRouter } from "./routers/user.ts";
import { webhooksRouter } from "./routers/webhooks.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  auth: authRouter,
  user: userRouter,
  public: publicRouter,
  admin: adminRouter,
  password: passwordRouter,
  session: sessionRouter,
  avatar: avatarRouter,
  profile: profileRouter,
  directory: directoryRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
