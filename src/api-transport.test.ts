import { apiKeyMissing } from './api-transport';
import { recommendationEdits } from './recommendation-edits';
import type { Recommendation } from './types';

const api: Recommendation = {
	port: 443,
	encryption: 'implicit_tls',
	reason: 'No SMTP port works from this server.',
	family: '',
	transport: 'sendgrid',
	key_needed: true,
};

describe( 'recommendationEdits', () => {
	it( 'chooses the HTTPS API and leaves the SMTP port and encryption for a way back', () => {
		expect( recommendationEdits( api, {} ) ).toEqual( {
			transport: 'sendgrid',
		} );
	} );

	it( 'saves the region whose API the port test reached with the transport', () => {
		expect(
			recommendationEdits(
				{ ...api, transport: 'mailgun', api_region: 'eu' },
				{}
			)
		).toEqual( { transport: 'mailgun', api_region: 'eu' } );
		expect(
			recommendationEdits(
				{
					...api,
					transport: 'amazon-ses',
					api_region: 'eu-central-1',
				},
				{ api_region: 'SMTP_PORT_HELPER_API_REGION' }
			)
		).toEqual( { transport: 'amazon-ses' } );
	} );

	it( 'puts an SMTP recommendation back on SMTP with its port and encryption', () => {
		expect(
			recommendationEdits(
				{ port: 2525, encryption: 'starttls', reason: '', family: '' },
				{}
			)
		).toEqual( {
			transport: 'smtp',
			port: '2525',
			encryption: 'starttls',
		} );
	} );

	it( 'leaves a field a constant locks', () => {
		expect(
			recommendationEdits( api, {
				transport: 'SMTP_PORT_HELPER_TRANSPORT',
			} )
		).toEqual( {} );
	} );
} );

describe( 'apiKeyMissing', () => {
	const form = { transport: 'sendgrid', api_key: '', clear_api_key: false };

	it( 'asks for the key when none is saved for this provider', () => {
		expect(
			apiKeyMissing( form, { transport: 'smtp', api_key_set: false } )
		).toBe( true );
		expect(
			apiKeyMissing( form, { transport: 'mailgun', api_key_set: true } )
		).toBe( true );
	} );

	it( 'is satisfied by a typed key or the saved one of the same provider', () => {
		expect(
			apiKeyMissing(
				{ ...form, api_key: 'SG.x' },
				{ transport: 'smtp', api_key_set: false }
			)
		).toBe( false );
		expect(
			apiKeyMissing( form, { transport: 'sendgrid', api_key_set: true } )
		).toBe( false );
		expect(
			apiKeyMissing(
				{ ...form, clear_api_key: true },
				{ transport: 'sendgrid', api_key_set: true }
			)
		).toBe( true );
	} );

	it( 'never asks over SMTP', () => {
		expect(
			apiKeyMissing(
				{ ...form, transport: 'smtp' },
				{ transport: 'smtp', api_key_set: false }
			)
		).toBe( false );
	} );
} );
