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

function poString( value ) {
	const escaped = value
		.replace( /\\/g, '\\\\' )
		.replace( /"/g, '\\"' )
		.replace( /\t/g, '\\t' )
		.replace( /\r/g, '\\r' )
		.replace( /\n/g, '\\n' );
	return `"${ escaped }"`;
}

function unescapePo( value ) {
	return value.replace( /\\(.)/g, ( _match, char ) => {
		switch ( char ) {
			case 'n':
				return '\n';
			case 't':
				return '\t';
			case 'r':
				return '\r';
			default:
				return char;
		}
	} );
}

/**
 * Parses a .po/.pot file: entries with msgctxt, msgid, msgid_plural, msgstr[], flags, references.
 * Obsolete (#~) entries are skipped.
 * @param {string} text
 */
function parsePo( text ) {
	const entries = [];
	let entry = null;
	let field = null;
	const start = () => {
		if ( ! entry || field === 'msgstr-done' ) {
			entry = { flags: [], references: [], msgstr: [] };
			entries.push( entry );
			field = null;
		}
	};
	for ( const raw of text.split( /\r?\n/ ) ) {
		const line = raw.trim();
		if ( line === '' ) {
			if ( entry ) {
				field = 'msgstr-done';
			}
			continue;
		}
		if ( line.startsWith( '#~' ) ) {
			continue;
		}
		if ( line.startsWith( '#' ) ) {
			start();
			if ( line.startsWith( '#,' ) ) {
				entry.flags.push(
					...line
						.slice( 2 )
						.split( ',' )
						.map( ( f ) => f.trim() )
				);
			} else if ( line.startsWith( '#:' ) ) {
				entry.references.push(
					...line.slice( 2 ).trim().split( /\s+/ )
				);
			}
			continue;
		}
		const match =
			/^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$/.exec(
				line
			);
		if ( match ) {
			if (
				match[ 1 ] === 'msgctxt' ||
				( match[ 1 ] === 'msgid' &&
					entry &&
					field !== null &&
					field !== 'msgctxt' )
			) {
				field = 'msgstr-done';
			}
			start();
			const value = unescapePo( match[ 3 ] );
			if ( match[ 1 ].startsWith( 'msgstr' ) ) {
				field = `msgstr:${ match[ 2 ] ?? 0 }`;
				entry.msgstr[ Number( match[ 2 ] ?? 0 ) ] = value;
			} else {
				field = match[ 1 ];
				entry[ field ] = value;
			}
			continue;
		}
		const continued = /^"(.*)"$/.exec( line );
		if ( continued && entry && field ) {
			const value = unescapePo( continued[ 1 ] );
			if ( field.startsWith( 'msgstr:' ) ) {
				entry.msgstr[ Number( field.slice( 7 ) ) ] += value;
			} else {
				entry[ field ] += value;
			}
		}
	}
	return entries.filter( ( item ) => typeof item.msgid === 'string' );
}

const keyOf = ( entry ) =>
	entry.msgctxt !== undefined
		? `${ entry.msgctxt }\u0004${ entry.msgid }`
		: entry.msgid;

function headerOf( entries ) {
	const header = entries.find(
		( entry ) => entry.msgid === '' && entry.msgctxt === undefined
	);
	const fields = {};
	for ( const line of ( header?.msgstr[ 0 ] ?? '' ).split( '\n' ) ) {
		const at = line.indexOf( ':' );
		if ( at > 0 ) {
			fields[ line.slice( 0, at ).trim() ] = line.slice( at + 1 ).trim();
		}
	}
	return fields;
}

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

function writeJsPot( entries, out ) {
	const blocks = [
		[
			'msgid ""',
			'msgstr ""',
			'"Content-Type: text/plain; charset=UTF-8\\n"',
			'"Content-Transfer-Encoding: 8bit\\n"',
		].join( '\n' ),
	];
	for ( const entry of entries ) {
		const lines = [];
		for ( const comment of entry.comments ) {
			lines.push( `#. ${ comment }` );
		}
		lines.push( `#: ${ entry.references.join( ' ' ) }` );
		if (
			/%(\d+\$)?[sdf]/.test( entry.msgid + ( entry.msgid_plural ?? '' ) )
		) {
			lines.push( '#, javascript-format' );
		}
		if ( entry.msgctxt !== undefined ) {
			lines.push( `msgctxt ${ poString( entry.msgctxt ) }` );
		}
		lines.push( `msgid ${ poString( entry.msgid ) }` );
		if ( entry.msgid_plural !== undefined ) {
			lines.push( `msgid_plural ${ poString( entry.msgid_plural ) }` );
			lines.push( 'msgstr[0] ""', 'msgstr[1] ""' );
		} else {
			lines.push( 'msgstr ""' );
		}
		blocks.push( lines.join( '\n' ) );
	}
	fs.writeFileSync( out, blocks.join( '\n\n' ) + '\n' );
}

/**
 * Builds the template in `dir`; keeps the creation date of the existing template when the
 * strings did not change.
 * @param {string} dir
 */
function buildPot( dir ) {
	const php = path.join( dir, 'php.pot' );
	const js = path.join( dir, 'js.pot' );
	const merged = path.join( dir, 'merged.pot' );
	extractPhp( php );
	writeJsPot( extractTs(), js );
	run( 'msgcat', [
		'--no-wrap',
		'--sort-by-file',
		'--output-file',
		merged,
		php,
		js,
	] );
	const body = fs
		.readFileSync( merged, 'utf8' )
		.replace( /^(?:#.*\n)*msgid ""\nmsgstr ""\n(?:".*"\n)*/, '' );
	const previous = fs.existsSync( POT ) ? fs.readFileSync( POT, 'utf8' ) : '';
	const previousBody = previous.replace(
		/^(?:#.*\n)*msgid ""\nmsgstr ""\n(?:".*"\n)*/,
		''
	);
	const previousDate = /"POT-Creation-Date: ([^\\]*)\\n"/.exec(
		previous
	)?.[ 1 ];
	const date =
		previousBody === body && previousDate
			? previousDate
			: new Date()
					.toISOString()
					.replace( 'T', ' ' )
					.replace( /:\d\d\.\d+Z$/, '+0000' );
	const header = [
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
	const pot = path.join( dir, `${ DOMAIN }.pot` );
	fs.writeFileSync( pot, header + body );
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

function jedJson( entries, locale ) {
	const header = headerOf( entries );
	const messages = {
		'': {
			domain: 'messages',
			lang: header.Language || locale,
			'plural-forms':
				header[ 'Plural-Forms' ] || 'nplurals=2; plural=(n != 1);',
		},
	};
	const used = entries
		.filter( ( entry ) => entry.msgid !== '' )
		.filter( ( entry ) =>
			entry.references.some( ( ref ) => ref.startsWith( 'src/' ) )
		)
		.filter( ( entry ) => ! entry.flags.includes( 'fuzzy' ) )
		.filter(
			( entry ) =>
				entry.msgstr.length &&
				entry.msgstr.every( ( str ) => str !== '' )
		)
		.sort( ( a, b ) => ( keyOf( a ) < keyOf( b ) ? -1 : 1 ) );
	for ( const entry of used ) {
		messages[ keyOf( entry ) ] = entry.msgstr;
	}
	return (
		JSON.stringify( {
			'translation-revision-date': header[ 'PO-Revision-Date' ] || '',
			generator: 'SMTP Port Helper env/i18n/i18n.js',
			domain: 'messages',
			locale_data: { messages },
		} ) + '\n'
	);
}

function untranslated( potEntries, poEntries ) {
	const byKey = new Map(
		poEntries.map( ( entry ) => [ keyOf( entry ), entry ] )
	);
	return potEntries
		.filter( ( entry ) => entry.msgid !== '' )
		.filter( ( entry ) => {
			const found = byKey.get( keyOf( entry ) );
			return (
				! found ||
				found.flags.includes( 'fuzzy' ) ||
				! found.msgstr.length ||
				found.msgstr.some( ( str ) => ! str )
			);
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
	const po = path.join( dir, `${ DOMAIN }-${ locale }.po` );
	fs.copyFileSync( source, po );
	run( 'msgmerge', [
		'--quiet',
		'--update',
		'--backup=none',
		'--no-fuzzy-matching',
		'--no-wrap',
		'--sort-by-file',
		po,
		pot,
	] );
	// Strings no longer in the sources are dropped, not kept as obsolete (#~) entries.
	run( 'msgattrib', [
		'--no-obsolete',
		'--no-wrap',
		'--sort-by-file',
		'--output-file',
		po,
		po,
	] );
	const mo = path.join( dir, `${ DOMAIN }-${ locale }.mo` );
	run( 'msgfmt', [ '--check-format', '--output-file', mo, po ] );
	const entries = parsePo( fs.readFileSync( po, 'utf8' ) );
	const json = path.join(
		dir,
		`${ DOMAIN }-${ locale }-${ SCRIPT_HASH }.json`
	);
	fs.writeFileSync( json, jedJson( entries, locale ) );
	return {
		files: [ po, mo, json ],
		missing: untranslated(
			parsePo( fs.readFileSync( pot, 'utf8' ) ),
			entries
		),
	};
}

/**
 * A .pot/.po without source references and creation date, to compare what really matters.
 * @param {Buffer} content
 */
function withoutPositions( content ) {
	return content
		.toString( 'utf8' )
		.split( '\n' )
		.filter(
			( line ) =>
				! line.startsWith( '#:' ) &&
				! line.startsWith( '"POT-Creation-Date:' )
		)
		.join( '\n' );
}

/* ------------------------------------------------------------------- main */

function main() {
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
	main();
}

module.exports = { parsePo, extractTs, SCRIPT_HASH, DOMAIN };
