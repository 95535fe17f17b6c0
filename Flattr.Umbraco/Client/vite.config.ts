import { defineConfig } from 'vitest/config';

// Builds one ES module into the Razor Class Library's wwwroot, where umbraco-package.json points at it.
// Everything from @umbraco-cms/backoffice stays external: the backoffice provides it through its import map.
export default defineConfig({
	build: {
		lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'flattr.js' },
		outDir: '../wwwroot/App_Plugins/Flattr',
		emptyOutDir: false,
		sourcemap: false,
		rollupOptions: {
			external: [/^@umbraco/],
			output: { inlineDynamicImports: true },
		},
	},
	test: {
		include: ['test/**/*.test.ts'],
		environment: 'node',
	},
});
