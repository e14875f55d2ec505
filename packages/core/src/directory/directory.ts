export { list, ListInput, Page, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from "./list.ts";
