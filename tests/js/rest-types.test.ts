/**
 * src/generated/rest-types.ts is what env/rest-types/generate.js writes from
 * src/generated/rest-schemas.json (whose match with the PHP schemas the PHP unit test
 * Rest_Types_Test checks).
 */
import { spawnSync } from 'child_process';
import path from 'path';

const root = path.join( __dirname, '../..' );

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
} );
