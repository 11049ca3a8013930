/**
 * The local provider API servers (env/providers/api-servers.js) for a browser spec: started on a
 * free loopback port for the spec's run, with the stack's certificate (which WordPress trusts), and
 * the API's address moved to them the way a site's wp-config.php would, with
 * SMTP_PORT_HELPER_API_ENDPOINT in a mu-plugin written for the run only.
 */
import { spawn } from 'child_process';
import type { ChildProcess } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { runDir } from '../helpers';

const ROOT = path.join( __dirname, '../../..' );
const CERT_DIR = path.dirname(
	process.env.SMTP_CA ?? path.join( runDir, 'smtp/cert.pem' )
);

/** A mu-plugin of the stack's WordPress, by file name. */
export function muPluginPath( name: string ): string {
	return path.join( runDir, 'wp/wp-content/mu-plugins', name );
}

/**
 * Writes a mu-plugin defining constants, as a site's wp-config.php would.
 * @param name      File name.
 * @param spec      The spec that writes it (said in the file).
 * @param constants Constant name → value.
 */
export function writeConstants(
	name: string,
	spec: string,
	constants: Record< string, string >
) {
	const lines = Object.entries( constants ).map(
		( [ constant, value ] ) =>
			`define( '${ constant }', ${ JSON.stringify( value ) } );`
	);
	fs.writeFileSync(
		muPluginPath( name ),
		`<?php\n// Written by ${ spec } for its run only, then removed.\n${ lines.join(
			'\n'
		) }\n`
	);
}

function freePort(): Promise< number > {
	return new Promise( ( resolve, reject ) => {
		const probe = net.createServer();
		probe.once( 'error', reject );
		probe.listen( 0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close( () =>
				resolve(
					typeof address === 'object' && address ? address.port : 0
				)
			);
		} );
	} );
}

/** One provider's local API server, running. */
export interface LocalApi {
	/** https://127.0.0.1:PORT */
	baseUrl: string;
	/** What the server accepted: one parsed record per message, oldest first. */
	received: () => Array< Record< string, unknown > >;
	/** Forgets what was received so far. */
	clear: () => void;
	stop: () => void;
}

/**
 * Starts the local server of one provider (sendgrid, graph, …) and resolves once it listens.
 * @param provider The provider's name in env/providers/api-servers.js.
 */
export async function startLocalApi( provider: string ): Promise< LocalApi > {
	const port = await freePort();
	const storeDir = fs.mkdtempSync(
		path.join( os.tmpdir(), `sph-e2e-${ provider }-` )
	);
	const server: ChildProcess = spawn(
		'node',
		[ path.join( ROOT, 'env/providers/api-servers.js' ), storeDir ],
		{
			env: {
				...process.env,
				PROVIDER_API_PORTS: `${ provider }=${ port }`,
				PROVIDER_API_CERT_DIR: CERT_DIR,
			},
			stdio: [ 'ignore', 'pipe', 'inherit' ],
		}
	);
	await new Promise< void >( ( resolve, reject ) => {
		let output = '';
		server.stdout?.on( 'data', ( chunk: Buffer ) => {
			output += chunk.toString();
			if ( output.includes( 'listening' ) ) {
				resolve();
			}
		} );
		server.once( 'exit', ( code ) =>
			reject(
				new Error( `api-servers.js ended (${ code }): ${ output }` )
			)
		);
	} );
	const dir = path.join( storeDir, provider );
	return {
		baseUrl: `https://127.0.0.1:${ port }`,
		received: () =>
			fs.existsSync( dir )
				? fs
						.readdirSync( dir )
						.filter( ( name ) => name.endsWith( '.json' ) )
						.sort()
						.map( ( name ) =>
							JSON.parse(
								fs.readFileSync(
									path.join( dir, name ),
									'utf8'
								)
							)
						)
				: [],
		clear: () => {
			// The server keeps writing into the folder: empty it, keep it.
			for ( const name of fs.existsSync( dir )
				? fs.readdirSync( dir )
				: [] ) {
				fs.rmSync( path.join( dir, name ), { force: true } );
			}
		},
		stop: () => {
			server.kill();
			fs.rmSync( storeDir, { recursive: true, force: true } );
		},
	};
}
