/**
 * A small SMTP client for the OAuth stack's tests, written out so each reply code is visible:
 * EHLO, STARTTLS (trusting the stack's test CA), EHLO, AUTH XOAUTH2 as the plugin sends it
 * (RFC 7628's predecessor, Google's and Microsoft's format), then optionally one message.
 */
const net = require( 'net' );
const tls = require( 'tls' );

class SmtpDialog {
	constructor( socket ) {
		this.attach( socket );
	}

	attach( socket ) {
		this.socket = socket;
		this.buffer = '';
		this.waiting = null;
		this.closed = null;
		socket.setEncoding( 'utf8' );
		socket.on( 'data', ( chunk ) => {
			this.buffer += chunk;
			this.flush();
		} );
		const onEnd = ( error ) => {
			this.closed = error || new Error( 'connection closed' );
			this.flush();
		};
		socket.on( 'error', onEnd );
		socket.on( 'close', () => onEnd() );
	}

	/** Resolves the pending read once a whole reply (its last line "NNN ") is buffered. */
	flush() {
		if ( ! this.waiting ) {
			return;
		}
		const match = this.buffer.match( /(?:^|\r\n)(\d{3}) [^\r\n]*\r\n/ );
		if ( match ) {
			const end = match.index + match[ 0 ].length;
			const text = this.buffer.slice( 0, end );
			this.buffer = this.buffer.slice( end );
			const { resolve } = this.waiting;
			this.waiting = null;
			resolve( { code: Number( match[ 1 ] ), text: text.trim() } );
		} else if ( this.closed ) {
			const { reject } = this.waiting;
			this.waiting = null;
			reject( this.closed );
		}
	}

	/** @return {Promise<{code: number, text: string}>} The next reply. */
	reply() {
		return new Promise( ( resolve, reject ) => {
			const timer = setTimeout(
				() => reject( new Error( 'no SMTP reply within 15 s' ) ),
				15000
			);
			this.waiting = {
				resolve: ( value ) => {
					clearTimeout( timer );
					resolve( value );
				},
				reject: ( error ) => {
					clearTimeout( timer );
					reject( error );
				},
			};
			this.flush();
		} );
	}

	/**
	 * @param {string} line Command (without CRLF).
	 * @return {Promise<{code: number, text: string}>} Its reply.
	 */
	command( line ) {
		this.socket.write( line + '\r\n' );
		return this.reply();
	}

	close() {
		this.socket.destroy();
	}
}

/**
 * Connects, says EHLO, upgrades with STARTTLS and says EHLO again.
 *
 * @param {Object} options      Options.
 * @param {string} options.host Host.
 * @param {number} options.port Port.
 * @param {string} options.ca   PEM of the CA to trust.
 * @return {Promise<{dialog: SmtpDialog, ehlo: string}>} The dialog and the EHLO reply after TLS.
 */
async function connectStartTls( { host, port, ca } ) {
	const socket = net.connect( { host, port } );
	const dialog = new SmtpDialog( socket );
	const expect = async ( promise, code ) => {
		const reply = await promise;
		if ( reply.code !== code ) {
			throw new Error( `expected ${ code }, got: ${ reply.text }` );
		}
		return reply;
	};
	await expect( dialog.reply(), 220 );
	await expect( dialog.command( 'EHLO client.oauth.test' ), 250 );
	await expect( dialog.command( 'STARTTLS' ), 220 );
	socket.removeAllListeners( 'data' );
	const secure = tls.connect( { socket, ca, servername: 'localhost' } );
	await new Promise( ( resolve, reject ) => {
		secure.once( 'secureConnect', resolve );
		secure.once( 'error', reject );
	} );
	dialog.attach( secure );
	const ehlo = await expect(
		dialog.command( 'EHLO client.oauth.test' ),
		250
	);
	return { dialog, ehlo: ehlo.text };
}

/**
 * AUTH XOAUTH2 with the initial response; on failure the server sends a 334 with a JSON error and
 * waits for an empty line before its final 535.
 *
 * @param {SmtpDialog} dialog The dialog (after STARTTLS).
 * @param {string}     user   Mailbox (user=).
 * @param {string}     token  Access token.
 * @return {Promise<{code: number, text: string, challenge: string}>} The final reply, and the
 *         decoded 334 challenge of a refusal ('' when there was none).
 */
async function authXoauth2( dialog, user, token ) {
	const initial = Buffer.from(
		`user=${ user }\x01auth=Bearer ${ token }\x01\x01`
	).toString( 'base64' );
	let reply = await dialog.command( `AUTH XOAUTH2 ${ initial }` );
	let challenge = '';
	if ( reply.code === 334 ) {
		challenge = Buffer.from(
			reply.text.slice( 4 ).trim(),
			'base64'
		).toString( 'utf8' );
		reply = await dialog.command( '' );
	}
	return { ...reply, challenge };
}

/**
 * Sends one message after a successful AUTH.
 *
 * @param {SmtpDialog} dialog  The dialog.
 * @param {string}     from    Envelope sender.
 * @param {string}     to      Recipient.
 * @param {string}     subject Subject (tests find the message by it).
 * @return {Promise<{code: number, text: string}>} The reply to the message's end.
 */
async function sendMessage( dialog, from, to, subject ) {
	for ( const line of [ `MAIL FROM:<${ from }>`, `RCPT TO:<${ to }>` ] ) {
		const reply = await dialog.command( line );
		if ( reply.code !== 250 ) {
			throw new Error( `${ line } → ${ reply.text }` );
		}
	}
	const data = await dialog.command( 'DATA' );
	if ( data.code !== 354 ) {
		throw new Error( `DATA → ${ data.text }` );
	}
	return dialog.command(
		[
			`From: <${ from }>`,
			`To: <${ to }>`,
			`Subject: ${ subject }`,
			`Date: ${ new Date().toUTCString() }`,
			'',
			'Sent with an OAuth 2.0 token through the local Postfix.',
			'.',
		].join( '\r\n' )
	);
}

module.exports = { connectStartTls, authXoauth2, sendMessage };
