/**
 * What every test server of tests/php/servers does first: exit when stdin closes (the PHP test
 * process died or closed the pipe) or after WATCHDOG_SECONDS, so no server outlives the tests.
 *
 * @param {number} defaultSeconds The limit when WATCHDOG_SECONDS is not set.
 */
function exitWithParent( defaultSeconds ) {
	setTimeout(
		() => process.exit( 0 ),
		Number( process.env.WATCHDOG_SECONDS || defaultSeconds ) * 1000
	).unref();
	process.stdin.on( 'end', () => process.exit( 0 ) );
	process.stdin.on( 'error', () => process.exit( 0 ) );
	process.stdin.resume();
}

module.exports = { exitWithParent };
