/**
 * Test wrapper around env/smtp/servers.js (the real nodemailer smtp-server): runs it in this
 * process and exits when stdin closes (the PHP test process died or closed the pipe) or after
 * WATCHDOG_SECONDS (default 180), so no server outlives the tests.
 *
 * Usage: node tests/php/servers/smtp-server-watchdog.js OUT_DIR   (same env as servers.js)
 */
const path = require( 'path' );
const { exitWithParent } = require( './exit-with-parent' );

exitWithParent( 180 );

const script = path.resolve( __dirname, '../../../env/smtp/servers.js' );
process.argv = [ process.argv[ 0 ], script, process.argv[ 2 ] ];
require( script );
