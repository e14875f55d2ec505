/**
 * For a process started by the local stack with a pipe as its stdin (see `startChild`): calls
 * `onGone` when that pipe closes. The parent never writes to it; the kernel closes it when the
 * parent exits, however it exits (Ctrl-C, a crash, `kill -9`), so a child notices at once without
 * polling. A child must not be started this way with stdin from a file or a terminal.
 */
export const whenParentGoes = (onGone: () => void) => {
  process.stdin.on("end", onGone);
  process.stdin.on("close", onGone);
  process.stdin.on("error", onGone);
  process.stdin.resume(); // reading is what delivers "end"; nothing is ever sent
};
