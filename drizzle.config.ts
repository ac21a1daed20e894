import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes a new numbered SQL migration into migrations/ from src/db/schema; wrangler applies it.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema/index.ts",
  out: "./migrations",
});
