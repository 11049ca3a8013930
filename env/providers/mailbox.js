/**
 * What the provider servers share: the schema check (ajv, draft 2020-12 subset the schemas use),
 * the message as a reader sees it (mailparser for raw MIME; libmime for the names a JSON API puts
 * into the headers it writes), and the folder of received messages — one JSON file per message,
 * written to `.part` first and renamed, so a reader never sees half of one.
 */
const fs = require( 'fs' );
const path = require( 'path' );
const crypto = require( 'crypto' );
const Ajv = require( 'ajv' );
const addFormats = require( 'ajv-formats' );
const { simpleParser } = require( 'mailparser' );
const libmime = require( 'libmime' );

const ajv = new Ajv( { allErrors: true, strict: true, strictRequired: false } );
addFormats( ajv );

/**
 * A validator for one of env/providers/schemas/*.json.
 *
 * @param {string} name File name without `.json`.
 * @return {(data: unknown) => string[]} The errors ([] when valid), each naming the field.
 */
function schema( name ) {
	const check = ajv.compile(
		JSON.parse(
			fs.readFileSync(
				path.join( __dirname, 'schemas', name + '.json' ),
				'utf8'
			)
		)
	);
	return ( data ) =>
		check( data )
			? []
			: check.errors.map(
					( error ) =>
						`${ error.instancePath || '/' } ${ error.message }${
							error.params && error.params.additionalProperty
								? ': ' + error.params.additionalProperty
								: ''
						}`
				);
}

/**
 * An attachment as the record keeps it: its name, type, size and a hash of its bytes.
 *
 * @param {Object} part Name, type, disposition, content id and the bytes.
 * @return {Object} The record's attachment.
 */
function attachment( part ) {
	return {
		filename: part.filename || '',
		content_type: String( part.contentType || '' ).toLowerCase(),
		disposition: part.disposition || 'attachment',
		content_id: part.contentId || '',
		size: part.content.length,
		sha256: crypto
			.createHash( 'sha256' )
			.update( part.content )
			.digest( 'hex' ),
	};
}

/**
 * One address as a reader sees it; a name a JSON API passes on may be an RFC 2047 encoded word.
 *
 * @param {string} address The address.
 * @param {string} name    The display name ('' for none).
 * @return {{address: string, name: string}} The address.
 */
function mailbox( address, name ) {
	return {
		address: String( address ).toLowerCase(),
		name: name ? libmime.decodeWords( String( name ) ) : '',
	};
}

/**
 * The message of raw MIME, parsed by mailparser.
 *
 * @param {Buffer} raw The message.
 * @return {Promise<Object>} The record's message.
 */
async function fromMime( raw ) {
	const parsed = await simpleParser( raw, { skipImageLinks: true } );
	const list = ( field ) =>
		field
			? ( Array.isArray( field ) ? field : [ field ] ).flatMap(
					( group ) =>
						group.value.map( ( one ) =>
							mailbox( one.address, one.name )
						)
				)
			: [];
	const headers = {};
	for ( const line of parsed.headerLines ) {
		const value = parsed.headers.get( line.key );
		// mailparser decodes the headers it knows; an unknown one keeps its encoded words.
		headers[ line.key ] = libmime.decodeWords(
			typeof value === 'string'
				? value
				: line.line.slice( line.line.indexOf( ':' ) + 1 ).trim()
		);
	}
	return {
		from: list( parsed.from ),
		to: list( parsed.to ),
		cc: list( parsed.cc ),
		bcc: list( parsed.bcc ),
		reply_to: list( parsed.replyTo ),
		subject: parsed.subject || '',
		headers,
		text: parsed.text || '',
		html: typeof parsed.html === 'string' ? parsed.html : '',
		attachments: parsed.attachments.map( ( part ) =>
			attachment( {
				filename: part.filename,
				contentType: part.contentType,
				disposition: part.contentDisposition,
				contentId: part.cid || '',
				content: part.content,
			} )
		),
	};
}

/**
 * Address fields a JSON API takes as header text (`"Name" <a@b>, c@d`), read by mailparser.
 *
 * @param {Object<string, string|undefined>} fields Field => header text.
 * @return {Promise<Object<string, Array<{address: string, name: string}>>>} Field => addresses.
 */
async function addressLists( fields ) {
	const names = {
		from: 'From',
		to: 'To',
		cc: 'Cc',
		bcc: 'Bcc',
		reply_to: 'Reply-To',
	};
	const head = Object.entries( fields )
		.filter( ( [ , value ] ) => value )
		.map( ( [ field, value ] ) => `${ names[ field ] }: ${ value }` )
		.join( '\r\n' );
	const parsed = await simpleParser(
		Buffer.from( head + '\r\n\r\n', 'utf8' )
	);
	const keys = {
		from: 'from',
		to: 'to',
		cc: 'cc',
		bcc: 'bcc',
		reply_to: 'replyTo',
	};
	return Object.fromEntries(
		Object.keys( fields ).map( ( field ) => [
			field,
			parsed[ keys[ field ] ]
				? parsed[ keys[ field ] ].value.map( ( one ) =>
						mailbox( one.address, one.name )
					)
				: [],
		] )
	);
}

class Mailbox {
	constructor( dir ) {
		this.dir = dir;
		this.counter = 0;
		this.seenKeys = new Map();
		fs.mkdirSync( dir, { recursive: true } );
	}

	/**
	 * The file already stored for an idempotency key, or null.
	 *
	 * @param {string} key Idempotency key.
	 * @return {string|null} File.
	 */
	storedFor( key ) {
		return ( key && this.seenKeys.get( key ) ) || null;
	}

	/**
	 * Stores one received message.
	 *
	 * @param {Object} record        What arrived: request, envelope, message.
	 * @param {string} [idempotency] The request's idempotency key.
	 * @return {string} The file.
	 */
	store( record, idempotency = '' ) {
		this.counter++;
		const file = path.join(
			this.dir,
			`${ Date.now() }-${ process.pid }-${ this.counter }.json`
		);
		fs.writeFileSync(
			file + '.part',
			JSON.stringify(
				{ received_at: new Date().toISOString(), ...record },
				null,
				1
			)
		);
		fs.renameSync( file + '.part', file );
		if ( idempotency ) {
			this.seenKeys.set( idempotency, file );
		}
		return file;
	}
}

module.exports = {
	schema,
	fromMime,
	attachment,
	mailbox,
	addressLists,
	Mailbox,
};
