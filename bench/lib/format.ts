/** Markdown tables and number formats for the report (the same text goes to the terminal). */
export const table = (headers: string[], rows: (string | number)[][]): string => {
  const line = (cells: (string | number)[]) => `| ${cells.map(String).join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
};

export const ms = (x: number): string => (x < 1 ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(x < 10 ? 2 : 1)} ms`);
export const ratio = (x: number): string => `${x.toFixed(2)}×`;
export const kb = (bytes: number): string => `${(bytes / 1000).toFixed(0)} kB`;
export const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;
export const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(1)} %`;
export const int = (x: number): string => Math.round(x).toLocaleString("en-US");
export const delta = (x: number): string => `${x < 0 ? "−" : "+"}${ms(Math.abs(x))}`;
