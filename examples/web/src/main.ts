import { createIamClient, iamErrorOf } from "@user-iam/client";
import { showProfile, showSignIn, ui } from "./profile.ts";

/**
 * The page: signs in through the BFF (`POST /bff/login`, which holds the API key), keeps only the
 * user's access token, and calls the service's tRPC API itself with it as a bearer token. `/trpc`
 * is served from this origin (Vite proxies it to the service).
 */
const TOKEN_KEY = "iam.accessToken";
const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value: string) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

const iam = createIamClient({ url: location.origin, getToken: token.get });

type LoginReply = { accessToken: string } | { message: string };

const signIn = async (email: string, password: string): Promise<string> => {
  const response = await fetch("/bff/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const reply = (await response
    .json()
    .catch(() => ({ message: `Sign-in failed (HTTP ${response.status})` }))) as LoginReply;
  if (!response.ok || !("accessToken" in reply)) throw new Error("message" in reply ? reply.message : "Sign-in failed");
  return reply.accessToken;
};

const loadProfile = async () => {
  try {
    showProfile(await iam.public.me.query());
  } catch (error) {
    token.clear();
    const known = iamErrorOf(error);
    showSignIn(
      known?.status === 401
        ? "Your session has ended: please sign in again."
        : (known?.message ?? "Could not load your profile"),
    );
  }
};

ui.form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(ui.form);
  const submit = ui.form.querySelector("button");
  if (submit) submit.disabled = true;
  try {
    token.set(await signIn(String(data.get("email") ?? ""), String(data.get("password") ?? "")));
    ui.form.reset();
    await loadProfile();
  } catch (error) {
    showSignIn(error instanceof Error ? error.message : "Sign-in failed");
  } finally {
    if (submit) submit.disabled = false;
  }
});

ui.signOut.addEventListener("click", async () => {
  // Ends the user's sessions at the service too; the local token goes whatever the answer.
  await iam.session.logout.mutate().catch(() => undefined);
  token.clear();
  showSignIn();
});

if (token.get()) void loadProfile();
else showSignIn();
