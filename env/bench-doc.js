/**
 * Writes measured blocks into docs/benchmarks.md without touching what people wrote around them.
 *
 * Usage: node env/bench-doc.js DOC SKELETON DIR
 *
 * A measured block is the text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`; every
 * DIR/NAME.md replaces the text of its block, everything outside the blocks (hand-written notes,
 * before/after tables, the CI section) stays as it is, and blocks not measured in this run keep
 * their earlier numbers. A block the document does not have yet (or no document at all) comes
 * from SKELETON: its section — from the `## ` heading before the block to the block's end — is
 * added at the end of the document.
 */
const fs = require( 'fs' );
const path = require( 'path' );

const [ docFile, skeletonFile, dir ] = process.argv.slice( 2 );
if ( ! docFile || ! skeletonFile || ! dir ) {
	process.stderr.write( 'usage: node env/bench-doc.js DOC SKELETON DIR\n' );
	process.exit( 2 );
}

const start = ( name ) => `<!-- bench:${ name } -->`;
const end = ( name ) => `<!-- /bench:${ name } -->`;

/**
 * The skeleton's section that holds a block: from the last `## ` heading before it to its end.
 *
 * @param {string} skeleton The skeleton's text.
 * @param {string} name     Block name.
 * @return {string} The section, or the bare block when the skeleton has no heading before it.
 */
function skeletonSection( skeleton, name ) {
	const at = skeleton.indexOf( start( name ) );
	const stop = skeleton.indexOf( end( name ) );
	if ( at < 0 || stop < at ) {
		return `${ start( name ) }\n${ end( name ) }`;
	}
	const heading = skeleton.lastIndexOf( '\n## ', at );
	const from = heading < 0 ? at : heading + 1;
	return skeleton.slice( from, stop + end( name ).length );
}

const skeleton = fs.readFileSync( skeletonFile, 'utf8' );
let doc = fs.existsSync( docFile ) ? fs.readFileSync( docFile, 'utf8' ) : '';
if ( doc.trim() === '' ) {
	doc = skeleton;
}

const names = fs
	.readdirSync( dir )
	.filter( ( file ) => file.endsWith( '.md' ) )
	.map( ( file ) => file.slice( 0, -3 ) )
	.sort();
for ( const name of names ) {
	if ( ! /^[a-z0-9-]+$/.test( name ) ) {
		throw new Error( `block name "${ name }": only a-z, 0-9 and -` );
	}
	const text = fs
		.readFileSync( path.join( dir, `${ name }.md` ), 'utf8' )
		.replace( /\s+$/, '' );
	if ( doc.indexOf( start( name ) ) < 0 ) {
		doc =
			doc.replace( /\s*$/, '\n\n' ) +
			skeletonSection( skeleton, name ) +
			'\n';
	}
	const at = doc.indexOf( start( name ) );
	const stop = doc.indexOf( end( name ), at );
	if ( stop < 0 ) {
		throw new Error(
			`${ docFile }: ${ start( name ) } has no ${ end( name ) }`
		);
	}
	if ( doc.indexOf( start( name ), at + 1 ) >= 0 ) {
		throw new Error( `${ docFile }: ${ start( name ) } appears twice` );
	}
	doc =
		doc.slice( 0, at ) +
		`${ start( name ) }\n${ text }\n` +
		doc.slice( stop );
}
fs.writeFileSync( docFile, doc.replace( /\s*$/, '\n' ) );
