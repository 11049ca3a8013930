/**
 * Translations, reproducibly: `npm run i18n` (node env/i18n/i18n.js).
 *
 * 1. extracts the PHP strings (xgettext from Debian's gettext) and the TypeScript strings (the
 *    TypeScript compiler's own parser: xgettext does not understand TS/TSX) into
 *    languages/smtp-port-helper.pot;
 * 2. merges the template into every languages/smtp-port-helper-<locale>.po (msgmerge);
 * 3. compiles each .po into its .mo (msgfmt --check-format);
 * 4. writes the Jed 1.x JSON that wp_set_script_translations() loads for build/index.js:
 *    languages/smtp-port-helper-<locale>-<md5("build/index.js")>.json, with only the strings that
 *    occur in src/.
 *
 * `node env/i18n/i18n.js --check` writes nothing: it does the same in a temporary folder and exits
 * 1, listing the problems, when the template is stale (strings added, removed or changed; moved
 * strings with other line numbers do not count), a msgid has no (or only a fuzzy) translation, or
 * a .mo/.json differs from what the .po gives. Output is deterministic: dates
 * come from the existing files, so re-running without changes changes no file.
 *
 * Nothing here reads or writes PO syntax by hand. Debian's gettext tools (xgettext, msgcat,
 * msgmerge, msgattrib, msgfmt) extract, merge, lay out and compile, as translators' tools expect;
 * gettext-parser (the PO library of the WordPress tool chain: @wordpress/i18n uses it) writes the
 * TypeScript strings as a .pot and reads the .po for the JSON and the completeness check, which
 * gettext has no tool for.
 */
const { execFileSync } = require( 'child_process' );
const crypto = require( 'crypto' );
const fs = require( 'fs' );
const os = require( 'os' );
const path = require( 'path' );
const ts = require( 'typescript' );

const ROOT = path.join( __dirname, '../..' );
const DOMAIN = 'smtp-port-helper';
const LANG_DIR = path.join( ROOT, 'languages' );
const POT = path.join( LANG_DIR, `${ DOMAIN }.pot` );
/** The script as wp_set_script_translations() sees it: its path relative to the plugin. */
const SCRIPT = 'build/index.js';
const SCRIPT_HASH = crypto.createHash( 'md5' ).update( SCRIPT ).digest( 'hex' );
const JS_FUNCTIONS = {
	__: [ 'msgid', 'domain' ],
	_x: [ 'msgid', 'msgctxt', 'domain' ],
	_n: [ 'msgid', 'msgid_plural', null, 'domain' ],
	_nx: [ 'msgid', 'msgid_plural', null, 'msgctxt', 'domain' ],
};

/* ------------------------------------------------------------------ helpers */

function run( command, args ) {
	return execFileSync( command, args, {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: [ 'ignore', 'pipe', 'pipe' ],
	} );
}

function walk( dir, test ) {
	if ( ! fs.existsSync( dir ) ) {
		return [];
	}
	return fs
		.readdirSync( dir, { withFileTypes: true } )
		.flatMap( ( entry ) => {
			const full = path.join( dir, entry.name );
			if ( entry.isDirectory() ) {
				return walk( full, test );
			}
			return test( full ) ? [ full ] : [];
		} )
		.sort();
}

const rel = ( file ) =>
	path.relative( ROOT, file ).split( path.sep ).join( '/' );

/**
 * gettext-parser's PO reader and writer (an ES module, hence loaded once by main()).
 * @type {{parse: Function, compile: Function}}
 */
let po;

/**
 * The messages of a .po/.pot file as gettext-parser reads it, without the header entry.
 * @param {string} file
 */
function readPo( file ) {
	const table = po.parse( fs.readFileSync( file ) );
	const entries = Object.values( table.translations )
		.flatMap( ( context ) => Object.values( context ) )
		.filter( ( entry ) => entry.msgid !== '' );
	return { headers: table.headers, entries };
}

const keyOf = ( entry ) =>
	entry.msgctxt ? `${ entry.msgctxt }\u0004${ entry.msgid }` : entry.msgid;

const isFuzzy = ( entry ) =>
	( entry.comments?.flag ?? '' )
		.split( ',' )
		.some( ( flag ) => flag.trim() === 'fuzzy' );

const isTranslated = ( entry ) =>
	! isFuzzy( entry ) &&
	entry.msgstr.length > 0 &&
	entry.msgstr.every( ( str ) => str !== '' );

/* ---------------------------------------------------------------- extraction */

function extractPhp( out ) {
	const files = [
		...walk( path.join( ROOT, 'includes' ), ( file ) =>
			file.endsWith( '.php' )
		),
		...[ 'smtp-port-helper.php', 'uninstall.php' ]
			.map( ( name ) => path.join( ROOT, name ) )
			.filter( ( file ) => fs.existsSync( file ) ),
	].map( rel );
	run( 'xgettext', [
		'--language=PHP',
		'--from-code=UTF-8',
		'--keyword=__',
		'--keyword=_e',
		'--keyword=_x:1,2c',
		'--keyword=_ex:1,2c',
		'--keyword=_n:1,2',
		'--keyword=_nx:1,2,4c',
		'--keyword=_n_noop:1,2',
		'--keyword=_nx_noop:1,2,3c',
		'--keyword=esc_html__',
		'--keyword=esc_html_e',
		'--keyword=esc_attr__',
		'--keyword=esc_attr_e',
		'--keyword=esc_html_x:1,2c',
		'--keyword=esc_attr_x:1,2c',
		'--add-comments=translators',
		'--force-po',
		'--no-wrap',
		'--sort-by-file',
		'--package-name=SMTP Port Helper',
		`--output=${ out }`,
		...files,
	] );
}

/**
 * The translator comment of a call: the closest leading "translators:" comment of the call or of
 * the expressions and statement around it.
 * @param {ts.Node} node
 * @param {string}  text
 */
function translatorComment( node, text ) {
	for (
		let current = node, depth = 0;
		current && depth < 6;
		current = current.parent, depth++
	) {
		const ranges =
			ts.getLeadingCommentRanges( text, current.getFullStart() ) ?? [];
		const found = ranges
			.map( ( range ) => text.slice( range.pos, range.end ) )
			.filter( ( comment ) => /translators:/i.test( comment ) );
		if ( found.length ) {
			return found[ found.length - 1 ]
				.replace( /^\/\*+|\*+\/$|^\/\//g, '' )
				.replace( /\s*\n\s*\*?\s*/g, ' ' )
				.trim();
		}
		if ( ts.isStatement( current ) ) {
			break;
		}
	}
	return '';
}

function extractTs() {
	const entries = new Map();
	const files = walk(
		path.join( ROOT, 'src' ),
		( file ) =>
			/\.(ts|tsx|js|jsx)$/.test( file ) &&
			! /\.test\.|\.d\.ts$/.test( file )
	);
	for ( const file of files ) {
		const text = fs.readFileSync( file, 'utf8' );
		const source = ts.createSourceFile(
			file,
			text,
			ts.ScriptTarget.Latest,
			true,
			file.endsWith( 'x' ) ? ts.ScriptKind.TSX : ts.ScriptKind.TS
		);
		const visit = ( node ) => {
			if (
				ts.isCallExpression( node ) &&
				ts.isIdentifier( node.expression ) &&
				JS_FUNCTIONS[ node.expression.text ]
			) {
				const roles = JS_FUNCTIONS[ node.expression.text ];
				const values = {};
				let literal = true;
				roles.forEach( ( role, index ) => {
					if ( ! role ) {
						return;
					}
					const arg = node.arguments[ index ];
					if (
						arg &&
						( ts.isStringLiteral( arg ) ||
							ts.isNoSubstitutionTemplateLiteral( arg ) )
					) {
						values[ role ] = arg.text;
					} else {
						literal = false;
					}
				} );
				if ( literal && values.domain === DOMAIN ) {
					const line =
						source.getLineAndCharacterOfPosition( node.getStart() )
							.line + 1;
					const key = keyOf( values );
					const entry = entries.get( key ) ?? {
						...values,
						references: [],
						comments: [],
					};
					entry.references.push( `${ rel( file ) }:${ line }` );
					const comment = translatorComment( node, text );
					if ( comment && ! entry.comments.includes( comment ) ) {
						entry.comments.push( comment );
					}
					entries.set( key, entry );
				}
			}
			ts.forEachChild( node, visit );
		};
		visit( source );
	}
	return [ ...entries.values() ];
}

/**
 * Writes the TypeScript strings as a template, through gettext-parser.
 * @param {ReturnType<typeof extractTs>} entries
 * @param {string}                       out
 */
function writeJsPot( entries, out ) {
	const translations = {};
	for ( const entry of entries ) {
		const plural = entry.msgid_plural !== undefined;
		translations[ entry.msgctxt ?? '' ] ??= {};
		translations[ entry.msgctxt ?? '' ][ entry.msgid ] = {
			msgctxt: entry.msgctxt,
			msgid: entry.msgid,
			msgid_plural: entry.msgid_plural,
			msgstr: plural ? [ '', '' ] : [ '' ],
			comments: {
				extracted: entry.comments.join( '\n' ),
				reference: entry.references.join( ' ' ),
				flag: /%(\d+\$)?[sdf]/.test(
					entry.msgid + ( entry.msgid_plural ?? '' )
				)
					? 'javascript-format'
					: '',
			},
		};
	}
	const table = {
		charset: 'utf-8',
		headers: { 'Content-Type': 'text/plain; charset=UTF-8' },
		translations,
	};
	fs.writeFileSync( out, po.compile( table, { foldLength: 0 } ) );
}

/**
 * The template's own header entry; msgcat --use-first puts it above the extracted strings.
 * @param {string} date POT-Creation-Date.
 */
function templateHeader( date ) {
	return [
		'# Copyright (C) SMTP Port Helper contributors',
		'# This file is distributed under the GPL-2.0-or-later license.',
		'msgid ""',
		'msgstr ""',
		'"Project-Id-Version: SMTP Port Helper\\n"',
		`"POT-Creation-Date: ${ date }\\n"`,
		'"MIME-Version: 1.0\\n"',
		'"Content-Type: text/plain; charset=UTF-8\\n"',
		'"Content-Transfer-Encoding: 8bit\\n"',
		'"Language-Team: \\n"',
		`"X-Domain: ${ DOMAIN }\\n"`,
		'"X-Generator: env/i18n/i18n.js\\n"',
		'',
	].join( '\n' );
}

/**
 * Builds the template in `dir`; keeps the creation date of the existing template when nothing
 * else in it changed.
 * @param {string} dir
 */
function buildPot( dir ) {
	const php = path.join( dir, 'php.pot' );
	const js = path.join( dir, 'js.pot' );
	const merged = path.join( dir, 'merged.pot' );
	const header = path.join( dir, 'header.pot' );
	const pot = path.join( dir, `${ DOMAIN }.pot` );
	extractPhp( php );
	writeJsPot( extractTs(), js );
	// Strings found in both keep the references of both.
	run( 'msgcat', [
		'--no-wrap',
		'--sort-by-file',
		'--output-file',
		merged,
		php,
		js,
	] );
	const write = ( date ) => {
		fs.writeFileSync( header, templateHeader( date ) );
		// The first file's header entry wins; it is the only entry the two have in common.
		run( 'msgcat', [
			'--use-first',
			'--no-wrap',
			'--sort-by-file',
			'--output-file',
			pot,
			header,
			merged,
		] );
		return fs.readFileSync( pot );
	};
	const previous = fs.existsSync( POT ) ? fs.readFileSync( POT ) : null;
	const previousDate =
		previous && po.parse( previous ).headers[ 'POT-Creation-Date' ];
	if ( ! previousDate || ! write( previousDate ).equals( previous ) ) {
		write(
			new Date()
				.toISOString()
				.replace( 'T', ' ' )
				.replace( /:\d\d\.\d+Z$/, '+0000' )
		);
	}
	return pot;
}

/* ------------------------------------------------------------ per locale */

function locales() {
	const pattern = new RegExp(
		`^${ DOMAIN }-([a-z]{2,3}(?:_[A-Z]{2})?)\\.po$`
	);
	return fs
		.readdirSync( LANG_DIR )
		.map( ( name ) => pattern.exec( name )?.[ 1 ] )
		.filter( Boolean )
		.sort();
}

/**
 * The Jed 1.x JSON of a locale: the translated, not fuzzy strings that occur in src/.
 * @param {ReturnType<typeof readPo>} translation
 * @param {string}                    locale
 */
function jedJson( { headers, entries }, locale ) {
	const messages = {
		'': {
			domain: 'messages',
			lang: headers.Language || locale,
			'plural-forms':
				headers[ 'Plural-Forms' ] || 'nplurals=2; plural=(n != 1);',
		},
	};
	const used = entries
		.filter( ( entry ) =>
			( entry.comments?.reference ?? '' )
				.split( /\s+/ )
				.some( ( ref ) => ref.startsWith( 'src/' ) )
		)
		.filter( isTranslated )
		.sort( ( a, b ) => ( keyOf( a ) < keyOf( b ) ? -1 : 1 ) );
	for ( const entry of used ) {
		messages[ keyOf( entry ) ] = entry.msgstr;
	}
	return (
		JSON.stringify( {
			'translation-revision-date': headers[ 'PO-Revision-Date' ] || '',
			generator: 'SMTP Port Helper env/i18n/i18n.js',
			domain: 'messages',
			locale_data: { messages },
		} ) + '\n'
	);
}

/**
 * The template's strings that have no complete, not fuzzy translation.
 * @param {ReturnType<typeof readPo>} template
 * @param {ReturnType<typeof readPo>} translation
 */
function untranslated( template, translation ) {
	const byKey = new Map(
		translation.entries.map( ( entry ) => [ keyOf( entry ), entry ] )
	);
	return template.entries
		.filter( ( entry ) => {
			const found = byKey.get( keyOf( entry ) );
			return ! found || ! isTranslated( found );
		} )
		.map( ( entry ) => keyOf( entry ).replace( '\u0004', ' | ' ) );
}

/**
 * Everything for one locale, into `dir`; returns the file names written and the gaps.
 * @param {string} locale
 * @param {string} pot
 * @param {string} dir
 */
function buildLocale( locale, pot, dir ) {
	const source = path.join( LANG_DIR, `${ DOMAIN }-${ locale }.po` );
	const poFile = path.join( dir, `${ DOMAIN }-${ locale }.po` );
	fs.copyFileSync( source, poFile );
	run( 'msgmerge', [
		'--quiet',
		'--update',
		'--backup=none',
		'--no-fuzzy-matching',
		'--no-wrap',
		'--sort-by-file',
		poFile,
		pot,
	] );
	// Strings no longer in the sources are dropped, not kept as obsolete (#~) entries.
	run( 'msgattrib', [
		'--no-obsolete',
		'--no-wrap',
		'--sort-by-file',
		'--output-file',
		poFile,
		poFile,
	] );
	const mo = path.join( dir, `${ DOMAIN }-${ locale }.mo` );
	run( 'msgfmt', [ '--check-format', '--output-file', mo, poFile ] );
	const translation = readPo( poFile );
	const json = path.join(
		dir,
		`${ DOMAIN }-${ locale }-${ SCRIPT_HASH }.json`
	);
	fs.writeFileSync( json, jedJson( translation, locale ) );
	return {
		files: [ poFile, mo, json ],
		missing: untranslated( readPo( pot ), translation ),
	};
}

/**
 * A .pot/.po without source references and creation date, to compare what really matters.
 * @param {Buffer} content
 */
function withoutPositions( content ) {
	const table = po.parse( content );
	delete table.headers[ 'POT-Creation-Date' ];
	for ( const context of Object.values( table.translations ) ) {
		for ( const entry of Object.values( context ) ) {
			delete entry.comments?.reference;
		}
	}
	return po.compile( table, { foldLength: 0 } ).toString( 'utf8' );
}

/* ------------------------------------------------------------------- main */

async function main() {
	( { po } = await import( 'gettext-parser' ) );
	const check = process.argv.includes( '--check' );
	const tmp = fs.mkdtempSync(
		path.join( os.tmpdir(), 'smtp-port-helper-i18n-' )
	);
	const problems = [];
	try {
		const pot = buildPot( tmp );
		const outputs = [ pot ];
		for ( const locale of locales() ) {
			const { files, missing } = buildLocale( locale, pot, tmp );
			outputs.push( ...files );
			for ( const msgid of missing ) {
				problems.push( `${ locale }: no translation for "${ msgid }"` );
			}
		}
		for ( const file of outputs ) {
			const target = path.join( LANG_DIR, path.basename( file ) );
			const fresh = fs.readFileSync( file );
			const same =
				fs.existsSync( target ) &&
				fresh.equals( fs.readFileSync( target ) );
			if ( check ) {
				// Moved strings (other line numbers, another creation date) are not stale.
				const loose =
					/\.pot?$/.test( target ) &&
					fs.existsSync( target ) &&
					withoutPositions( fresh ) ===
						withoutPositions( fs.readFileSync( target ) );
				if ( ! same && ! loose ) {
					problems.push(
						`${ rel( target ) } is missing or stale: run npm run i18n`
					);
				}
			} else if ( ! same ) {
				fs.writeFileSync( target, fresh );
				process.stdout.write( `wrote ${ rel( target ) }\n` );
			}
		}
		// JSON files of another script path are stale.
		for ( const name of fs.readdirSync( LANG_DIR ) ) {
			if (
				name.endsWith( '.json' ) &&
				! name.endsWith( `-${ SCRIPT_HASH }.json` )
			) {
				if ( check ) {
					problems.push(
						`languages/${ name } is stale (not for ${ SCRIPT })`
					);
				} else {
					fs.unlinkSync( path.join( LANG_DIR, name ) );
				}
			}
		}
	} finally {
		fs.rmSync( tmp, { recursive: true, force: true } );
	}
	for ( const problem of problems ) {
		process.stderr.write( `${ problem }\n` );
	}
	if ( problems.length ) {
		process.stderr.write( `${ problems.length } problem(s)\n` );
		process.exitCode = 1;
	} else if ( check ) {
		process.stdout.write( 'translations complete and up to date\n' );
	}
}

if ( require.main === module ) {
	main().catch( ( error ) => {
		process.stderr.write( `${ error.stack || error }\n` );
		process.exitCode = 1;
	} );
}

module.exports = { extractTs, SCRIPT_HASH, DOMAIN };
