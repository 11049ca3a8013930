/**
 * Helpers shared by the browser specs: the stack's SMTP mailbox and screenshot paths.
 */
import fs from 'fs';
import path from 'path';

const root = path.join( __dirname, '../..' );

export const mailDir =
	process.env.SMTP_MAIL_DIR ?? path.join( root, '.run/smtp/mails' );

export const screenshotDir = path.join(
	process.env.WP_ARTIFACTS_PATH ?? path.join( root, 'artifacts' ),
	'screenshots'
);

/** The stack's SMTP ports in the order 25, 465, 587, 2525 (high numbers without root). */
export const smtpPorts = ( process.env.SMTP_PORTS ?? '25,465,587,2525' )
	.split( ',' )
	.map( Number );

export interface ReceivedMail {
	envelope: {
		port: number;
		mailFrom: string | null;
		rcptTo: string[];
		user: string | null;
		tls: boolean;
	};
	raw: string;
}

/**
 * Every message the SMTP test servers stored (since a time, in ms) whose raw text contains the needle.
 * @param needle
 * @param since
 */
export function findMail( needle: string, since = 0 ): ReceivedMail[] {
	if ( ! fs.existsSync( mailDir ) ) {
		return [];
	}
	return fs
		.readdirSync( mailDir )
		.filter( ( name ) => name.endsWith( '.eml' ) )
		.map( ( name ) => path.join( mailDir, name ) )
		.filter( ( file ) => fs.statSync( file ).mtimeMs >= since )
		.map( ( file ) => fs.readFileSync( file, 'utf8' ) )
		.filter( ( raw ) => raw.includes( needle ) )
		.map( ( raw ) => {
			const first = raw.slice( 0, raw.indexOf( '\r\n' ) );
			return {
				envelope: JSON.parse(
					first.replace( /^X-Test-Envelope: /, '' )
				),
				raw,
			};
		} );
}

export function screenshotPath( name: string ): string {
	fs.mkdirSync( screenshotDir, { recursive: true } );
	return path.join( screenshotDir, `${ name }.png` );
}
