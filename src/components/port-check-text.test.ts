import { okResult, reportFixture } from '../../tests/js/fixtures';
import { causeAdvice, recommendationText, summary } from './port-check-text';

describe( 'port check text', () => {
	it( 'words the recommendation and the summary', () => {
		expect(
			recommendationText( {
				port: 465,
				encryption: 'implicit_tls',
				reason: '',
			} )
		).toBe( 'Use port 465 with SSL/TLS' );
		expect( summary( reportFixture() ) ).toBe(
			'Port test finished: ports 587, 2525, 465 work; recommended: port 587 with STARTTLS.'
		);
	} );

	it( "uses the server's advice when no port could be reached at all", () => {
		const advice =
			'No port of smtp.example.com could be reached: … Ask your web host: "Please allow …"';
		const blocked = ( port: number ) =>
			okResult( port, {
				ok: false,
				verdict: 'timeout',
				cause: 'network',
				message: `Nothing answered on port ${ port }.`,
			} );
		const report = {
			...reportFixture(),
			host: 'smtp.example.com',
			results: [ blocked( 587 ), blocked( 465 ) ],
			recommendation: null,
			advice,
		};
		expect( causeAdvice( report ) ).toEqual( [
			{ cause: 'network', ports: [ 587, 465 ], text: advice },
		] );
		expect( causeAdvice( { ...report, advice: null } )[ 0 ].text ).toMatch(
			/^Ports 587, 465 could not be reached from this web server\./
		);
	} );

	it( 'says the address was refused, not that the name was not found', () => {
		const refused = okResult( 587, {
			ok: false,
			verdict: 'address_refused',
			cause: 'host_name',
			message:
				'smtp.internal.test resolves only to addresses this site may not connect to.',
		} );
		const report = {
			...reportFixture(),
			results: [ refused ],
			recommendation: null,
		};
		expect( causeAdvice( report )[ 0 ].text ).toBe( refused.message );
	} );
} );
