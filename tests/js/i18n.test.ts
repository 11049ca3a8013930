/**
 * The shipped translations are complete and up to date: every msgid of the template (PHP and
 * TypeScript strings, extracted afresh) has a German translation that is not fuzzy, and the
 * .pot/.po/.mo and the script's JSON equal what `npm run i18n` produces from the sources.
 * The check itself is env/i18n/i18n.js --check (it needs Debian's gettext: xgettext, msgmerge,
 * msgcat, msgfmt).
 */
import { spawnSync } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';

const root = path.join( __dirname, '../..' );
const languages = path.join( root, 'languages' );

describe( 'translations', () => {
	it( 'ship a German .po, .mo and the JSON for build/index.js', () => {
		const hash = crypto
			.createHash( 'md5' )
			.update( 'build/index.js' )
			.digest( 'hex' );
		for ( const name of [
			'smtp-port-helper.pot',
			'smtp-port-helper-de_DE.po',
			'smtp-port-helper-de_DE.mo',
			`smtp-port-helper-de_DE-${ hash }.json`,
		] ) {
			expect( fs.existsSync( path.join( languages, name ) ) ).toBe(
				true
			);
		}
		const json = JSON.parse(
			fs.readFileSync(
				path.join( languages, `smtp-port-helper-de_DE-${ hash }.json` ),
				'utf8'
			)
		);
		expect( json.domain ).toBe( 'messages' );
		const messages = json.locale_data.messages;
		expect( messages[ '' ] ).toEqual( {
			domain: 'messages',
			lang: 'de_DE',
			'plural-forms': 'nplurals=2; plural=(n != 1);',
		} );
		expect( messages[ 'Test ports' ] ).toEqual( [ 'Ports testen' ] );
		expect( messages[ 'Save settings' ] ).toEqual( [
			'Einstellungen speichern',
		] );
		// Only strings the script uses: none of the PHP-only ones.
		expect( messages[ 'Invalid setting(s): %s' ] ).toBeUndefined();
	} );

	it( 'are complete and not stale (npm run i18n)', () => {
		const result = spawnSync(
			process.execPath,
			[ path.join( root, 'env/i18n/i18n.js' ), '--check' ],
			{ cwd: root, encoding: 'utf8' }
		);
		// The output lists every msgid without a translation and every stale file.
		expect( result.stderr ).toBe( '' );
		expect( result.status ).toBe( 0 );
	} );
} );
