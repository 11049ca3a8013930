/**
 * Sums every suite's JUnit report in artifacts/junit/ (PHPUnit, jest, Playwright, the smoke test and
 * the static checks) and prints one table and, as its last line, `N passed, N failed`.
 * Exit code 1 when anything failed or a suite wrote no report.
 * With --times=FILE (lines `NAME<TAB>seconds[<TAB>CPU seconds]`, written by env/test-all.sh) each
 * suite's wall time and CPU time (user + sys) are printed beside it, and the steps that are no suite
 * (set-up, stack start, the background lanes, total) below the table.
 * Usage: node env/summarize.js JUNIT_DIR [--times=FILE] SUITE...
 */
const fs = require( 'fs' );
const path = require( 'path' );

const [ dir, ...rest ] = process.argv.slice( 2 );
const timesOption = rest.find( ( a ) => a.startsWith( '--times=' ) );
const expected = rest.filter( ( a ) => a !== timesOption );
const seconds = new Map();
const cpuSeconds = new Map();
if ( timesOption && fs.existsSync( timesOption.slice( 8 ) ) ) {
	for ( const line of fs
		.readFileSync( timesOption.slice( 8 ), 'utf8' )
		.split( '\n' ) ) {
		const [ name, value, cpu ] = line.split( '\t' );
		if ( name && /^\d+$/.test( value ) ) {
			seconds.set( name, Number( value ) );
		}
		if ( name && /^\d+$/.test( cpu || '' ) ) {
			cpuSeconds.set( name, Number( cpu ) );
		}
	}
}
const time = ( name ) =>
	seconds.has( name ) ? `${ seconds.get( name ) } s` : '';
const cpuTime = ( name ) =>
	cpuSeconds.has( name ) ? `${ cpuSeconds.get( name ) } s` : '';
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];

for ( const suite of expected ) {
	const file = path.join( dir, `${ suite }.xml` );
	if ( ! fs.existsSync( file ) ) {
		failed++;
		rows.push( [
			suite,
			0,
			1,
			0,
			'no report: the suite did not run to the end',
		] );
		continue;
	}
	const xml = fs.readFileSync( file, 'utf8' );
	let suitePassed = 0;
	let suiteFailed = 0;
	let suiteSkipped = 0;
	const cases =
		xml.match( /<testcase\b[^>]*?(?:\/>|>[\s\S]*?<\/testcase>)/g ) || [];
	for ( const testcase of cases ) {
		if ( /<(failure|error)\b/.test( testcase ) ) {
			suiteFailed++;
		} else if ( /<skipped\b/.test( testcase ) ) {
			suiteSkipped++;
		} else {
			suitePassed++;
		}
	}
	// A suite that crashed before its first test has an error count but no test cases.
	const errors = Number(
		( xml.match( /<testsuites?\b[^>]*\berrors="(\d+)"/ ) || [] )[ 1 ] || 0
	);
	if ( cases.length === 0 || ( errors > 0 && suiteFailed === 0 ) ) {
		suiteFailed += Math.max( 1, errors );
	}
	passed += suitePassed;
	failed += suiteFailed;
	skipped += suiteSkipped;
	rows.push( [ suite, suitePassed, suiteFailed, suiteSkipped, '' ] );
}

console.log( '' );
console.log(
	'suite                     passed  failed  skipped     wall      CPU'
);
for ( const [ name, p, f, s, note ] of rows ) {
	console.log(
		`${ name.padEnd( 24 ) } ${ String( p ).padStart( 7 ) } ${ String( f ).padStart( 7 ) } ${ String( s ).padStart( 8 ) } ${ time( name ).padStart( 8 ) } ${ cpuTime( name ).padStart( 8 ) }  ${ note }`
	);
}
const steps = [ ...seconds.keys() ].filter( ( n ) => ! expected.includes( n ) );
if ( steps.length ) {
	console.log(
		steps
			.map( ( name ) =>
				cpuSeconds.has( name )
					? `${ name } ${ time( name ) } (CPU ${ cpuTime( name ) })`
					: `${ name } ${ time( name ) }`
			)
			.join( ', ' )
	);
}
if ( skipped ) {
	console.log( `${ skipped } skipped` );
}
console.log( `${ passed } passed, ${ failed } failed` );
process.exit( failed > 0 ? 1 : 0 );
