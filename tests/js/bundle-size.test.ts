/**
 * The page's weight where users feel it (issue #20, must-have 7), measured on the build that
 * `npm run build` wrote: the script every visit of the settings page loads (build/index.js), and
 * what opening the Outbox view adds (build/outbox.js and the vendor chunks webpack split out for
 * it: the numbered build/*.js files). Gzipped at the default level, as a web server sends them.
 * docs/benchmarks.md records the sizes.
 */
import fs from 'fs';
import path from 'path';
import zlib from 'zlib';

const BUILD = path.join( __dirname, '../../build' );
const KB = 1024;

/**
 * The issue's targets: 12 KB for the page's own script, 100 KB for the Outbox view (11.8 KB and
 * 2.6 KB on 2026-12-06, see docs/benchmarks.md).
 */
const INITIAL_SCRIPT_LIMIT = 12 * KB;
const OUTBOX_VIEW_LIMIT = 100 * KB;

function gzippedSize( file: string ): number {
	return zlib.gzipSync( fs.readFileSync( path.join( BUILD, file ) ) ).length;
}

function builtScripts(): string[] {
	if ( ! fs.existsSync( path.join( BUILD, 'index.js' ) ) ) {
		throw new Error(
			'build/index.js is missing: run npm run build first.'
		);
	}
	return fs.readdirSync( BUILD ).filter( ( file ) => file.endsWith( '.js' ) );
}

describe( 'the built page', () => {
	it( 'loads at most 12 KB of its own script (gzipped) on every visit', () => {
		builtScripts();
		expect( gzippedSize( 'index.js' ) ).toBeLessThanOrEqual(
			INITIAL_SCRIPT_LIMIT
		);
	} );

	it( 'adds at most 100 KB (gzipped) when the Outbox view is shown', () => {
		const scripts = builtScripts();
		expect( scripts ).toContain( 'outbox.js' );
		const outbox = [
			'outbox.js',
			// Vendor chunks split out of a lazy chunk get numeric names (DataViews' was one).
			...scripts.filter( ( file ) => /^\d+\.js$/.test( file ) ),
		];
		const total = outbox.reduce(
			( sum, file ) => sum + gzippedSize( file ),
			0
		);
		expect( total ).toBeLessThanOrEqual( OUTBOX_VIEW_LIMIT );
	} );
} );
