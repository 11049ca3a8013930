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
	},
	projects: [ { name: 'chromium', use: { browserName: 'chromium' } } ],
} );
