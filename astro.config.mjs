// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { courseBuild } from './src/build/course-build-integration.ts';
import { securityHeaders } from './src/server/security-headers.ts';

// https://docs.astro.build/en/reference/configuration-reference/
export default defineConfig({
  site: 'http://localhost:4321',
  // Lessons are plain pages: no server, no adapter. `npm start` serves the built files.
  output: 'static',
  trailingSlash: 'ignore',
  // courseBuild: lab bundles, search index and header files, so plain `astro build` gives the whole site.
  integrations: [mdx(), courseBuild()],
  // `astro dev` must be cross-origin isolated too, or the lab panel cannot boot WebContainer
  // while developing. Same header set as `npm start` and the deploy files, dev flavour of CSP.
  server: { host: '127.0.0.1', headers: securityHeaders('dev') },
  devToolbar: { enabled: false },
  build: {
    // Stylesheets inline in each page (about 8 KiB gzipped for a lesson): as files they were
    // 7 render-blocking requests, and module scripts wait for them, so on a busy machine they
    // delayed DOMContentLoaded and the lab's start (bench/lab). The CSP allows inline styles
    // ('unsafe-inline' in style-src: styles cannot run code); scripts stay external.
    inlineStylesheets: 'always',
  },
  markdown: {
    shikiConfig: {
      // Two themes; the site CSS switches between them with the reader's theme. The "default"
      // GitHub themes, because the classic ones colour some tokens below 4.5:1 contrast.
      themes: { light: 'github-light-default', dark: 'github-dark-default' },
      wrap: false,
    },
  },
  vite: {
    build: {
      // Astro inlines small scripts; the CSP allows only external scripts (plus the hashed
      // theme script), so nothing is inlined.
      assetsInlineLimit: 0,
      rollupOptions: {
        onwarn(warning, warn) {
          // MDX pages carry Astro's own "use astro:head-inject" marker; the bundler's warning
          // about it is noise (Astro handles it) and buried real warnings in build logs.
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('astro:head-inject')) return;
          warn(warning);
        },
      },
    },
  },
});
