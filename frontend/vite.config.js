// The office front-end builds into the Python package, served by FastAPI under /office/ (no CDN, no inline script).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

export default defineConfig({
  base: "/office/",
  plugins: [vue()],
  define: {
    __VUE_OPTIONS_API__: "true",
    __VUE_PROD_DEVTOOLS__: "false",
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: "false",
    __INTLIFY_JIT_COMPILATION__: "true",
    __INTLIFY_DROP_MESSAGE_COMPILER__: "false",
  },
  build: {
    outDir: fileURLToPath(new URL("../src/changzhu/web/dist", import.meta.url)),
    emptyOutDir: true,
    assetsDir: "assets",
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      output: {
        manualChunks: {
          "element-plus": ["element-plus"],
        },
      },
    },
  },
});
