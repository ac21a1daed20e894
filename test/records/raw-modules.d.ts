// Vite's `?raw` imports (text of a file, bundled at test time) without pulling in all of vite/client's globals.
declare module "*?raw" {
  const text: string;
  export default text;
}

// Vite's `import.meta.glob`, the one form the tests use: eager, raw text by path.
interface ImportMeta {
  glob(pattern: string, options: { query: "?raw"; import: "default"; eager: true }): Record<string, string>;
}
