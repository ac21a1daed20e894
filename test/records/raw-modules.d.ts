// Vite's `?raw` imports (text of a file, bundled at test time) without pulling in all of vite/client's globals.
declare module "*?raw" {
  const text: string;
  export default text;
}
