import type { User } from "@user-iam/client";

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from index.html`);
  return element as T;
};

/** The page's elements, looked up once. */
export const ui = {
  form: byId<HTMLFormElement>("sign-in"),
  error: byId<HTMLParagraphElement>("error"),
  profile: byId<HTMLElement>("profile"),
  avatar: byId<HTMLDivElement>("avatar"),
  handle: byId<HTMLParagraphElement>("handle"),
  name: byId<HTMLElement>("name"),
  email: byId<HTMLElement>("email"),
  status: byId<HTMLElement>("status"),
  role: byId<HTMLElement>("role"),
  badges: byId<HTMLUListElement>("badges"),
  signOut: byId<HTMLButtonElement>("sign-out"),
};

const avatarOf = (user: User): HTMLElement => {
  const url = user.profile.profileData.avatarUrl;
  if (url) {
    const img = document.createElement("img");
    img.src = url;
    img.alt = `Avatar of ${user.name}`;
    return img;
  }
  const placeholder = document.createElement("div");
  placeholder.className = "avatar-placeholder";
  placeholder.setAttribute("role", "img");
  placeholder.setAttribute("aria-label", "No avatar yet");
  placeholder.textContent = user.name.slice(0, 1).toUpperCase();
  return placeholder;
};

const badgeItem = (badge: User["profile"]["badges"][number]): HTMLLIElement => {
  const item = document.createElement("li");
  const icon = document.createElement("img");
  icon.src = badge.iconUrl;
  icon.alt = "";
  const label = document.createElement("span");
  label.textContent = badge.name;
  item.append(icon, label);
  return item;
};

/** Shows the signed-in user (text only: nothing from the API is parsed as HTML). */
export const showProfile = (user: User) => {
  ui.avatar.replaceChildren(avatarOf(user));
  ui.handle.textContent = user.handle;
  ui.name.textContent = user.name;
  ui.email.textContent = user.email;
  ui.status.textContent = user.status;
  ui.role.textContent = user.role;
  ui.badges.replaceChildren(...user.profile.badges.map(badgeItem));
  ui.error.hidden = true;
  ui.form.hidden = true;
  ui.profile.hidden = false;
};

export const showSignIn = (message?: string) => {
  ui.profile.hidden = true;
  ui.form.hidden = false;
  ui.error.textContent = message ?? "";
  ui.error.hidden = !message;
};
