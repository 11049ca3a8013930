/**
 * Prints a PHPUnit --filter pattern for the test classes of the group "runs-alone" in a list written
 * by `phpunit --list-tests-xml FILE`, or nothing when there are none. With GROUP only the classes of
 * that group too: the list ignores the configuration's <groups><include>, and on the command line
 * --group replaces it (the SQLite suite's runs-alone tests are those of the group "database").
 * The tests of the group "runs-alone" are marked per class (Suite_Lock.php), so classes are enough.
 * Usage: node env/alone-filter.js LIST.xml [GROUP]   (used by env/test-all.sh)
 */
const fs = require( 'fs' );

const [ file, group ] = process.argv.slice( 2 );
const xml = fs.readFileSync( file, 'utf8' );
const classes = new Set();
const classPattern =
	/<testCaseClass name="([^"]+)">([\s\S]*?)<\/testCaseClass>/g;
for ( const [ , name, body ] of xml.matchAll( classPattern ) ) {
	for ( const [ , groups ] of body.matchAll( /\bgroups="([^"]*)"/g ) ) {
		const list = groups.split( ',' );
		if (
			list.includes( 'runs-alone' ) &&
			( ! group || list.includes( group ) )
		) {
			classes.add( name );
		}
	}
}
if ( classes.size ) {
	const escape = ( name ) => name.replace( /[\\.^$|?*+()[\]{}/]/g, '\\$&' );
	process.stdout.write(
		`/^(?:${ [ ...classes ].map( escape ).join( '|' ) })::/`
	);
}
