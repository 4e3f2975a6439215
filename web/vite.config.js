// Vite build of the one Pitstop web application (owner app, provider and operator consoles).
// Two small local plugins, no extra dependency:
//  - pitstop-sw: writes dist/sw.js with the list of app-shell files of this build
//  - pitstop-compress: writes .gz and .br next to every text asset (the C server serves them)
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { writeServiceWorker } from './scripts/sw.mjs';
import { compressDir } from './scripts/compress.mjs';

function pitstopPostBuild() {
  let outDir = 'dist';
  return {
    name: 'pitstop-post-build',
    apply: 'build',
    configResolved(cfg) { outDir = cfg.build.outDir; },
    async closeBundle() {
      await writeServiceWorker(outDir);
      await compressDir(outDir);
    },
  };
}

export default defineConfig({
  plugins: [vue(), pitstopPostBuild()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          if (id.includes('node_modules/leaflet')) return 'leaflet';
          if (id.includes('node_modules/vue') || id.includes('node_modules/@vue') || id.includes('node_modules/vue-router') || id.includes('node_modules/vue-i18n') || id.includes('node_modules/@intlify')) return 'vue';
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: { '/api': process.env.PITSTOP_URL || 'http://127.0.0.1:8080' },
  },
});
