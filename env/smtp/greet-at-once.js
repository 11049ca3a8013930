/**
 * The local test servers greet as soon as a client connects. smtp-server holds every greeting for
 * 100 ms to catch clients that talk before it (smtp-connection.js `init()`, not configurable): a
 * defence against spam bots, not a behaviour any test here checks — the plugin's client never
 * talks first, and a server that greets late is tested with servers that are silent on purpose.
 * With it, each connection costs 100 ms of idle waiting: half of the 500-message load burst.
 *
 * Requiring this module changes smtp-server's connections in this process only. It fails at start
 * when smtp-server's internals it relies on change, so an upgrade cannot silently bring the wait
 * back or break the greeting.
 */
const { SMTPConnection } = require( 'smtp-server/lib/smtp-connection' );

const proto = SMTPConnection.prototype;
if (
	typeof proto._setListeners !== 'function' ||
	typeof proto.connectionReady !== 'function' ||
	! /setTimeout\(\s*\(\)\s*=>\s*this\.connectionReady\(\),\s*100\s*\)/.test(
		proto.init.toString()
	)
) {
	throw new Error(
		'smtp-server changed how it greets (SMTPConnection.init): update env/smtp/greet-at-once.js'
	);
}

// smtp-server's init() without the timer: the same listeners and client limit, then the greeting.
proto.init = function init() {
	this._setListeners( () => {
		const { maxClients } = this._server.options;
		if ( maxClients && this._server.connections.size > maxClients ) {
			return this.send(
				421,
				this.name +
					' Too many connected clients, try again in a moment',
				false
			);
		}
		this.connectionReady();
	} );
};
