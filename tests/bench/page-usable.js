/**
 * Benchmark: time until the settings page is usable in headless Chromium (the "Host" field shows
 * the saved value), next to WordPress's own General Settings screen as the baseline, measured
 * alternately in one run. Prints a Markdown table. Usage: node tests/bench/page-usable.js [runs=15]
 */
const { launchChromium, logInPage } = require( '../support/node-suite' );

const url = process.env.WP_URL || 'http://127.0.0.1:8889';
const runs = Number( process.argv[ 2 ] || 15 );

const median = ( values ) => {
	const sorted = [ ...values ].sort( ( a, b ) => a - b );
	const mid = Math.floor( sorted.length / 2 );
	return sorted.length % 2
		? sorted[ mid ]
		: ( sorted[ mid - 1 ] + sorted[ mid ] ) / 2;
};

( async () => {
	const browser = await launchChromium();
	const page = await browser.newPage( {
		viewport: { width: 1280, height: 800 },
	} );
	await logInPage( page, url );

	const screens = {
		'SMTP Port Helper settings (until the saved Host is shown)':
			async () => {
				await page.goto(
					`${ url }/wp-admin/options-general.php?page=smtp-port-helper`,
					{ waitUntil: 'commit' }
				);
				await page
					.getByRole( 'textbox', { name: 'Host', exact: true } )
					.waitFor();
			},
		'WordPress General Settings (baseline, until the form is shown)':
			async () => {
				await page.goto( `${ url }/wp-admin/options-general.php`, {
					waitUntil: 'commit',
				} );
				await page.locator( '#blogname' ).waitFor();
			},
	};
	const times = Object.fromEntries(
		Object.keys( screens ).map( ( name ) => [ name, [] ] )
	);
	for ( let i = 0; i < runs + 2; i++ ) {
		for ( const [ name, open ] of Object.entries( screens ) ) {
			const started = Date.now();
			await open();
			if ( i >= 2 ) {
				times[ name ].push( Date.now() - started );
			}
		}
	}
	await browser.close();

	const [ ours, baseline ] = Object.keys( screens ).map( ( name ) =>
		median( times[ name ] )
	);
	console.log(
		`| screen (median of ${ runs }, headless Chromium) | ms until usable |`
	);
	console.log( '|---|---:|' );
	for ( const name of Object.keys( screens ) ) {
		console.log( `| ${ name } | ${ median( times[ name ] ) } |` );
	}
	console.log(
		`| ratio | ${ ( ours / baseline ).toFixed( 2 ) } × the core screen |`
	);
} )().catch( ( error ) => {
	console.error( error );
	process.exit( 1 );
} );
