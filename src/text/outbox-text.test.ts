/**
 * The Outbox view's short verdict of a message's last attempt.
 */
import { nextTryText, verdictLabel } from './outbox-text';

import type { OutboxEntry } from '../types';

const waiting: OutboxEntry = {
	id: 1,
	status: 'queued',
	to: [ 'someone@example.com' ],
	subject: 'Hello',
	queued_at: 1_800_000_000,
	next_attempt_at: 1_800_000_300,
	attempts: 1,
	stage: 'connect',
	code: 0,
	error: '',
	explanation: '',
	size: 100,
};

describe( 'verdictLabel', () => {
	it( 'says the OAuth sign-in was not renewed when the token endpoint did not answer', () => {
		expect( verdictLabel( { ...waiting, stage: 'token' } ) ).toBe(
			'Sign-in not renewed'
		);
	} );

	it( 'says the message waits for the sending limit, not that it failed', () => {
		expect( verdictLabel( { ...waiting, stage: 'paced' } ) ).toBe(
			'Waits for the sending limit'
		);
		expect(
			verdictLabel( { ...waiting, stage: 'throttled', code: 451 } )
		).toBe( 'Provider asked to slow down (451)' );
	} );

	it( 'says no connection when no port answered', () => {
		expect( verdictLabel( waiting ) ).toBe( 'No connection' );
	} );
} );

describe( 'a message held by a refused OAuth sign-in', () => {
	const heldBySignIn: OutboxEntry = {
		...waiting,
		status: 'held',
		stage: 'oauth',
		next_attempt_at: null,
	};

	it( 'says the sign-in was refused, not the login', () => {
		expect( verdictLabel( heldBySignIn ) ).toBe( 'Sign-in refused' );
	} );

	it( 'is tried next after Connect, not when the settings are saved', () => {
		expect( nextTryText( heldBySignIn ) ).toBe(
			'After you click Connect again'
		);
		expect(
			nextTryText( { ...heldBySignIn, stage: 'auth', code: 535 } )
		).toBe( 'When the settings are saved' );
	} );
} );

describe( 'a message whose sender died mid-delivery, or held for its route', () => {
	it( 'says the attempt was interrupted and names the time of the next try', () => {
		const interrupted: OutboxEntry = {
			...waiting,
			stage: 'interrupted',
			next_attempt_at: 1_800_000_600,
		};
		expect( verdictLabel( interrupted ) ).toBe( 'Interrupted' );
		expect( nextTryText( interrupted ) ).not.toBe( 'Being sent now' );
	} );

	it( 'says a message held for its route waits for its server, not that a login was refused', () => {
		expect(
			verdictLabel( {
				...waiting,
				status: 'held',
				stage: 'route',
				next_attempt_at: null,
			} )
		).toBe( 'Written for another server' );
	} );
} );
