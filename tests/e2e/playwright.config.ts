/**
 * Browser tests against the real local WordPress (bash env/stack.sh start), in Debian's Chromium.
 * Extends the @wordpress/scripts preset; the stack is started by env/test-all.sh, not by Playwright.
 */
import path from 'path';
import { defineConfig } from '@playwright/test';

process.env.WP_ARTIFACTS_PATH ??= path.join( __dirname, '../../artifacts' );
process.env.STORAGE_STATE_PATH ??= path.join(
	process.env.WP_ARTIFACTS_PATH,
	'storage-states/admin.json'
);
process.env.WP_BASE_URL ??= 'http://127.0.0.1:8889';

const base = require( '@wordpress/scripts/config/playwright.config.js' );
const { chromiumLaunchOptions } = require( '../support/node-suite.js' );

const artifacts = process.env.WP_ARTIFACTS_PATH;

export default defineConfig( {
	...base,
	testDir: './specs',
	outputDir: path.join( artifacts, 'test-results' ),
	retries: 0,
	reporter: [
		[ 'list' ],
		[
			'junit',
			{ outputFile: path.join( artifacts, 'junit/playwright.xml' ) },
		],
	],
	webServer: undefined,
	use: {
		...base.use,
		baseURL: process.env.WP_BASE_URL,
		// Wide enough that wp-admin does not fold its menu.
		viewport: { width: 1280, height: 800 },
		launchOptions: chromiumLaunchOptions(),
		// Recording a trace of every test costs about a fifth of the suite's browser CPU and is
		// thrown away when the test passes; E2E_TRACE=retain-on-failure records one for a failure
		// (a failure always leaves its screenshot and error-context.md page snapshot).
		trace: ( process.env.E2E_TRACE ?? 'off' ) as 'off',
		// One browser session for the whole run: the worker's context, logged in once by the global
		// set-up (storageState), is reset between tests instead of created anew (Playwright clears
		// cookies, storage and cache, closes extra pages and re-applies the storage state and the
		// viewport). A context of its own (a visitor, an editor) is still browser.newContext().
		reuseContext: true,
		// A video would force a fresh context per test (and retries are off, so none is recorded).
		video: 'off',
	},
	projects: [ { name: 'chromium', use: { browserName: 'chromium' } } ],
} );
