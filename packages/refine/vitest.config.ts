export { default } from "@profilekit/configs/vitest";
