/**
 * src/generated/rest-types.ts is what env/rest-types/generate.js writes from
 * src/generated/rest-schemas.json (whose match with the PHP schemas the PHP unit test
 * Rest_Types_Test checks), and src/types.ts re-exports those types instead of writing its own.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';

import { settingsFixture } from './fixtures';

const root = path.join( __dirname, '../..' );
const document = JSON.parse(
	fs.readFileSync(
		path.join( root, 'src/generated/rest-schemas.json' ),
		'utf8'
	)
) as {
	schemas: Record< string, Schema >;
};

interface Schema {
	properties?: Record< string, unknown >;
	required?: string[];
	allOf?: Schema[];
}

/**
 * The keys an object of a schema must have, its `allOf` parts' included.
 *
 * @param schema A schema.
 */
function requiredKeys( schema: Schema ): string[] {
	return [
		...( schema.required ?? [] ),
		...( schema.allOf ?? [] ).flatMap( requiredKeys ),
	];
}

describe( 'generated REST types', () => {
	it( 'match the PHP side’s schemas (npm run rest-types)', () => {
		const result = spawnSync(
			process.execPath,
			[ path.join( root, 'env/rest-types/generate.js' ), '--check' ],
			{ cwd: root, encoding: 'utf8' }
		);
		expect( result.stderr ).toBe( '' );
		expect( result.status ).toBe( 0 );
	} );

	it( 'are not written again by hand in src/types.ts', () => {
		const types = fs.readFileSync(
			path.join( root, 'src/types.ts' ),
			'utf8'
		);
		const declared = [
			...types.matchAll( /export\s+(?:interface|type)\s+(\w+)\s*[<={]/g ),
		].map( ( match ) => match[ 1 ] );
		expect( declared ).not.toHaveLength( 0 );
		for ( const name of Object.keys( document.schemas ) ) {
			expect( declared ).not.toContain( name );
		}
	} );

	it( 'cover the settings payloads, the settings answer field by field', () => {
		for ( const name of [
			'EditableSettings',
			'SettingsResponse',
			'SettingsInput',
		] ) {
			expect( document.schemas ).toHaveProperty( name );
		}
		// The fixture is typed by the generated SettingsResponse; the schema requires the same keys.
		expect( Object.keys( settingsFixture() ).sort() ).toEqual(
			requiredKeys( document.schemas.SettingsResponse ).sort()
		);
	} );
} );
