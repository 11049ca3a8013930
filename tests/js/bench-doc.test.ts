/**
 * `npm run bench` rewrites only the measured blocks of docs/benchmarks.md (env/bench-doc.js):
 * hand-written notes, before/after tables and the CI section stay byte for byte, a part not
 * measured in the run keeps its numbers, and a part the document lacks comes from the skeleton
 * (env/bench-skeleton.md) with its heading and words.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

const root = path.join( __dirname, '../..' );
const script = path.join( root, 'env/bench-doc.js' );
const skeleton = path.join( root, 'env/bench-skeleton.md' );

/**
 * Runs bench-doc.js on a document with the measured parts given.
 *
 * @param doc   The document before (null: none).
 * @param parts Block name => measured text.
 * @return The document after, and the script's exit status and error output.
 */
function rewrite(
	doc: string | null,
	parts: Record< string, string >
): { doc: string; status: number | null; stderr: string } {
	const dir = fs.mkdtempSync( path.join( os.tmpdir(), 'bench-doc-' ) );
	const docFile = path.join( dir, 'benchmarks.md' );
	const partsDir = path.join( dir, 'parts' );
	fs.mkdirSync( partsDir );
	if ( doc !== null ) {
		fs.writeFileSync( docFile, doc );
	}
	for ( const [ name, text ] of Object.entries( parts ) ) {
		fs.writeFileSync( path.join( partsDir, `${ name }.md` ), text );
	}
	const run = spawnSync( 'node', [ script, docFile, skeleton, partsDir ], {
		encoding: 'utf8',
	} );
	const after = fs.existsSync( docFile )
		? fs.readFileSync( docFile, 'utf8' )
		: '';
	fs.rmSync( dir, { recursive: true, force: true } );
	return { doc: after, status: run.status, stderr: run.stderr };
}

const handWritten = `# Benchmarks

<!-- bench:machine -->
Last run: 2026-11-29. Machine: old.
<!-- /bench:machine -->

## Transports: SMTP and the HTTPS APIs

Run alone on 2026-12-06, by hand.

<!-- bench:transport -->
| transport | median ms |
|---|---:|
| SMTP | 247.9 |
<!-- /bench:transport -->

Issue #21's targets: met (a note written by hand, with a before/after table).

| | before | after |
|---|---:|---:|
| peak | 3.74 × | 1.05 × |

## Outbox: the time limit and draining a queue

<!-- bench:outbox -->
| queue | measured |
|---|---:|
| 500 queued | 28.3 s |
<!-- /bench:outbox -->

## CI: the test command

| step | wall time |
|---|---:|
| total | 1032 s |
`;

describe( 'env/bench-doc.js', () => {
	it( 'replaces the measured blocks and keeps every other line as it was', () => {
		const transport =
			'Measured on 2026-12-06.\n\n| transport | median ms |\n|---|---:|\n| SMTP | 120.0 |\n';
		const machine = 'Last run: 2026-12-06. Machine: new.\n';

		const result = rewrite( handWritten, { transport, machine } );

		expect( result.status ).toBe( 0 );
		expect( result.doc ).toBe(
			handWritten
				.replace(
					'| transport | median ms |\n|---|---:|\n| SMTP | 247.9 |\n',
					transport
				)
				.replace( 'Last run: 2026-11-29. Machine: old.\n', machine )
		);
		expect( result.doc ).toContain( '| 500 queued | 28.3 s |' );
		expect( result.doc ).toContain(
			"Issue #21's targets: met (a note written by hand"
		);
		expect( result.doc ).toContain( '## CI: the test command' );
	} );

	it( 'adds a part the document lacks with its heading and words from the skeleton, at the end', () => {
		const result = rewrite( handWritten, {
			pacing: '| burst | limit |\n|---|---|\n| 200 messages | 30 per 5 s |\n',
		} );

		expect( result.status ).toBe( 0 );
		expect( result.doc.startsWith( handWritten.trimEnd() ) ).toBe( true );
		const added = result.doc.slice( handWritten.trimEnd().length );
		expect( added ).toMatch(
			/^\n\n## Sending pace\n\nMeasured by `tests\/bench\/pacing-bench.php`/
		);
		expect( added ).toContain(
			'<!-- bench:pacing -->\n| burst | limit |\n|---|---|\n| 200 messages | 30 per 5 s |\n<!-- /bench:pacing -->\n'
		);
	} );

	it( 'writes the whole skeleton when there is no document yet', () => {
		const result = rewrite( null, { outbox: '| queue | measured |\n' } );

		expect( result.status ).toBe( 0 );
		for ( const heading of [
			'## Cost on every front-end request',
			'## Port test engine',
			'## Settings page',
			'## Outbox: the time limit and draining a queue',
			'## Transports: SMTP and the HTTPS APIs',
		] ) {
			expect( result.doc ).toContain( heading );
		}
		expect( result.doc ).toContain(
			'<!-- bench:outbox -->\n| queue | measured |\n<!-- /bench:outbox -->'
		);
	} );

	it( 'refuses a block that is opened and never closed, and leaves the document alone', () => {
		const broken = handWritten.replace( '<!-- /bench:outbox -->\n', '' );
		const result = rewrite( broken, { outbox: 'new\n' } );

		expect( result.status ).not.toBe( 0 );
		expect( result.stderr ).toContain( 'has no <!-- /bench:outbox -->' );
		expect( result.doc ).toBe( broken );
	} );

	it( 'finds a block for every part env/bench.sh measures in the committed document', () => {
		const doc = fs.readFileSync(
			path.join( root, 'docs/benchmarks.md' ),
			'utf8'
		);
		const bench = fs.readFileSync(
			path.join( root, 'env/bench.sh' ),
			'utf8'
		);
		const names =
			/PART_NAMES=\(([^)]*)\)/.exec( bench )?.[ 1 ].split( ' ' ) ?? [];
		expect( names.length ).toBeGreaterThan( 5 );
		for ( const name of [ ...names, 'machine' ] ) {
			expect( doc ).toContain( `<!-- bench:${ name } -->` );
			expect( doc ).toContain( `<!-- /bench:${ name } -->` );
		}
	} );
} );
