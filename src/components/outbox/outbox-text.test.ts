/**
 * The Outbox view's short verdict of a message's last attempt.
 */
import { verdictLabel } from './outbox-text';

import type { OutboxEntry } from '../../types';

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

	it( 'says no connection when no port answered', () => {
		expect( verdictLabel( waiting ) ).toBe( 'No connection' );
	} );
} );
