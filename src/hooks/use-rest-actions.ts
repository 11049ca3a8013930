/**
 * The page's REST actions on top of src/api.ts. Each action resolves to an outcome the page can
 * show (it never rejects), and the hook says which actions are still running.
 */
import { useCallback, useMemo, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import {
	disconnectOAuth,
	fieldErrors,
	getSettings,
	isRestError,
	runPortTests,
	saveSettings,
	sendFailure,
	sendTestEmail,
	startOAuth,
} from '../api';
import type {
	OAuthAuthorizeResponse,
	PortTestReport,
	PortTestRequest,
	SettingsResponse,
	SettingsUpdate,
	TestEmailSuccess,
} from '../types';

export type RestAction =
	| 'load'
	| 'save'
	| 'portTest'
	| 'testEmail'
	| 'oauthConnect'
	| 'oauthDisconnect';

export interface RestFailure {
	/** The server's message, or a fallback when no WordPress answer arrived. */
	message: string;
	/** Field => message for each field the server named. */
	fieldErrors: Record< string, string >;
}

/** What went wrong in the SMTP conversation of a test email. */
export type SendDiagnosis = NonNullable< ReturnType< typeof sendFailure > >;

export interface TestEmailFailure extends RestFailure {
	diagnosis: SendDiagnosis | null;
}

export type RestOutcome< Value, Failure = RestFailure > =
	{ ok: true; value: Value } | ( { ok: false } & Failure );

/**
 * @param error    What the api.ts call rejected with.
 * @param fallback The message when the error is not a WordPress REST error.
 */
export function describeFailure(
	error: unknown,
	fallback: string
): RestFailure {
	return {
		message: isRestError( error ) ? error.message : fallback,
		fieldErrors: fieldErrors( error ),
	};
}

async function attempt< Value, Failure >(
	request: () => Promise< Value >,
	describe: ( error: unknown ) => Failure
): Promise< RestOutcome< Value, Failure > > {
	try {
		return { ok: true, value: await request() };
	} catch ( error: unknown ) {
		return { ok: false, ...describe( error ) };
	}
}

export function useRestActions() {
	const [ running, setRunning ] = useState<
		Partial< Record< RestAction, number > >
	>( {} );

	const track = useCallback(
		async < Result >(
			action: RestAction,
			run: () => Promise< Result >
		): Promise< Result > => {
			const count = ( step: number ) =>
				setRunning( ( current ) => ( {
					...current,
					[ action ]: ( current[ action ] ?? 0 ) + step,
				} ) );
			count( 1 );
			try {
				return await run();
			} finally {
				count( -1 );
			}
		},
		[]
	);

	const actions = useMemo(
		() => ( {
			loadSettings: (): Promise< RestOutcome< SettingsResponse > > =>
				track( 'load', () =>
					attempt( getSettings, ( error ) =>
						describeFailure(
							error,
							__(
								'The settings could not be loaded.',
								'smtp-port-helper'
							)
						)
					)
				),
			saveSettings: (
				update: SettingsUpdate
			): Promise< RestOutcome< SettingsResponse > > =>
				track( 'save', () =>
					attempt(
						() => saveSettings( update ),
						( error ) =>
							describeFailure(
								error,
								__(
									'The settings could not be saved.',
									'smtp-port-helper'
								)
							)
					)
				),
			/**
			 * On bad input the message names what the server said about each field.
			 */
			testPorts: (
				request: PortTestRequest
			): Promise< RestOutcome< PortTestReport > > =>
				track( 'portTest', () =>
					attempt(
						() => runPortTests( request ),
						( error ) => {
							const failure = describeFailure(
								error,
								__(
									'The port test could not be run.',
									'smtp-port-helper'
								)
							);
							const fields = Object.values( failure.fieldErrors );
							return fields.length
								? { ...failure, message: fields.join( ' ' ) }
								: failure;
						}
					)
				),
			sendTestEmail: (
				to: string
			): Promise< RestOutcome< TestEmailSuccess, TestEmailFailure > > =>
				track( 'testEmail', () =>
					attempt(
						() => sendTestEmail( { to } ),
						( error ) => ( {
							...describeFailure(
								error,
								__(
									'The test email could not be sent.',
									'smtp-port-helper'
								)
							),
							diagnosis: sendFailure( error ),
						} )
					)
				),
			startOAuth: (): Promise< RestOutcome< OAuthAuthorizeResponse > > =>
				track( 'oauthConnect', () =>
					attempt( startOAuth, ( error ) =>
						describeFailure(
							error,
							__(
								'Signing in could not be started.',
								'smtp-port-helper'
							)
						)
					)
				),
			disconnectOAuth: (): Promise< RestOutcome< SettingsResponse > > =>
				track( 'oauthDisconnect', () =>
					attempt( disconnectOAuth, ( error ) =>
						describeFailure(
							error,
							__(
								'The account could not be disconnected.',
								'smtp-port-helper'
							)
						)
					)
				),
		} ),
		[ track ]
	);

	const isRunning = useCallback(
		( action: RestAction ) => ( running[ action ] ?? 0 ) > 0,
		[ running ]
	);

	return { ...actions, isRunning };
}
