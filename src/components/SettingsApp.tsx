import {
	Button,
	Card,
	CardBody,
	CardHeader,
	Notice,
	SelectControl,
	Spinner,
} from '@wordpress/components';
import { useDispatch } from '@wordpress/data';
import { useCallback, useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { store as noticesStore } from '@wordpress/notices';
import type { ReactNode } from 'react';

import { fieldErrors, getSettings, isRestError, saveSettings } from '../api';
import type { FormState } from '../form';
import { changes, isDirty, parsePorts, toForm } from '../form';
import { OTHER, findPreset, presetForHost, presetHost } from '../presets';
import type { Encryption, Recommendation, SettingsResponse } from '../types';
import type { FieldContext } from './Fields';
import { TextField, ToggleField } from './Fields';
import { encryptionLabel, lockedHelp } from './labels';
import { PortHelp } from './PortHelp';
import { PortCheck } from './PortCheck';
import { ProviderPicker } from './ProviderPicker';
import { Snackbars } from './Snackbars';
import { SendTestEmail } from './SendTestEmail';

function Step( { title, children }: { title: string; children: ReactNode } ) {
	return (
		<Card className="smtp-port-helper__step">
			<CardHeader>
				<h2 className="smtp-port-helper__card-title">{ title }</h2>
			</CardHeader>
			<CardBody>{ children }</CardBody>
		</Card>
	);
}

export function SettingsApp() {
	const [ saved, setSaved ] = useState< SettingsResponse | null >( null );
	const [ form, setForm ] = useState< FormState | null >( null );
	const [ presetId, setPresetId ] = useState( OTHER );
	const [ region, setRegion ] = useState( '' );
	const [ loadError, setLoadError ] = useState< string | null >( null );
	const [ errors, setErrors ] = useState< Record< string, string > >( {} );
	const [ isSaving, setIsSaving ] = useState( false );
	const [ announcement, setAnnouncement ] = useState( '' );
	const { createSuccessNotice, createErrorNotice } =
		useDispatch( noticesStore );

	const announce = useCallback( ( message: string ) => {
		// Clear first so that the same text is announced again.
		setAnnouncement( '' );
		window.setTimeout( () => setAnnouncement( message ), 50 );
	}, [] );

	useEffect( () => {
		getSettings()
			.then( ( settings ) => {
				setSaved( settings );
				setForm( toForm( settings ) );
				const match = presetForHost( settings.host );
				if ( match ) {
					setPresetId( match.preset.id );
					setRegion(
						match.region ?? match.preset.defaultRegion ?? ''
					);
				}
			} )
			.catch( ( error: unknown ) => {
				setLoadError(
					isRestError( error )
						? error.message
						: __(
								'The settings could not be loaded.',
								'smtp-port-helper'
							)
				);
			} );
	}, [] );

	const dirty = Boolean( saved && form && isDirty( form, saved ) );

	useEffect( () => {
		if ( ! dirty ) {
			return undefined;
		}
		const warn = ( event: BeforeUnloadEvent ) => {
			event.preventDefault();
			// Older browsers need a returnValue to show the prompt.
			event.returnValue = '';
		};
		window.addEventListener( 'beforeunload', warn );
		return () => window.removeEventListener( 'beforeunload', warn );
	}, [ dirty ] );

	if ( loadError ) {
		return (
			<Notice status="error" isDismissible={ false }>
				{ loadError }
			</Notice>
		);
	}
	if ( ! saved || ! form ) {
		return <Spinner />;
	}

	const setField: FieldContext[ 'setField' ] = ( key, value ) => {
		setForm( ( current ) =>
			current ? { ...current, [ key ]: value } : current
		);
	};
	const ctx: FieldContext = { form, setField, errors, locked: saved.locked };
	const preset = findPreset( presetId );

	const choosePreset = ( id: string, newRegion: string ) => {
		setPresetId( id );
		setRegion( newRegion );
		const chosen = findPreset( id );
		if ( ! chosen ) {
			return;
		}
		setForm( ( current ) => {
			if ( ! current ) {
				return current;
			}
			const next = { ...current };
			if ( ! saved.locked.host ) {
				next.host = presetHost( chosen, newRegion );
			}
			if (
				chosen.username &&
				! saved.locked.username &&
				current.username === ''
			) {
				next.username = chosen.username;
			}
			return next;
		} );
	};

	const applyRecommendation = ( recommendation: Recommendation ) => {
		setForm( ( current ) =>
			current
				? {
						...current,
						port: saved.locked.port
							? current.port
							: String( recommendation.port ),
						encryption: saved.locked.encryption
							? current.encryption
							: recommendation.encryption,
					}
				: current
		);
		announce(
			sprintf(
				/* translators: 1: port number, 2: encryption, e.g. STARTTLS. */
				__(
					'Port %1$d with %2$s filled in. Save the settings to use it.',
					'smtp-port-helper'
				),
				recommendation.port,
				encryptionLabel( recommendation.encryption )
			)
		);
	};

	const onSave = async () => {
		if ( parsePorts( form.fallback_ports ) === null ) {
			setErrors( {
				fallback_ports: __(
					'Enter port numbers separated by commas, for example 2525, 465.',
					'smtp-port-helper'
				),
			} );
			return;
		}
		const update = changes( form, saved );
		if ( Object.keys( update ).length === 0 ) {
			createSuccessNotice(
				__( 'No changes to save.', 'smtp-port-helper' ),
				{
					type: 'snackbar',
				}
			);
			return;
		}
		setIsSaving( true );
		setErrors( {} );
		try {
			const settings = await saveSettings( update );
			setSaved( settings );
			setForm( toForm( settings ) );
			createSuccessNotice( __( 'Settings saved.', 'smtp-port-helper' ), {
				type: 'snackbar',
			} );
		} catch ( error: unknown ) {
			setErrors( fieldErrors( error ) );
			createErrorNotice(
				isRestError( error )
					? error.message
					: __(
							'The settings could not be saved.',
							'smtp-port-helper'
						),
				{ type: 'snackbar' }
			);
		} finally {
			setIsSaving( false );
		}
	};

	const authForTest =
		form.auth && form.username.trim() !== ''
			? {
					username: form.username.trim(),
					...( form.password !== ''
						? { password: form.password }
						: {} ),
				}
			: undefined;

	const passwordHelp = saved.password_set
		? __(
				'A password is saved. Leave the field empty to keep it.',
				'smtp-port-helper'
			)
		: __(
				'Stored encrypted; never shown again after saving.',
				'smtp-port-helper'
			);

	return (
		<div className="smtp-port-helper">
			<h1>{ __( 'SMTP Port Helper', 'smtp-port-helper' ) }</h1>
			<p className="smtp-port-helper__intro">
				{ __(
					'Mails from your site do not arrive? Choose your provider, test which ports work from this server, use the recommended one, then send a test email.',
					'smtp-port-helper'
				) }
			</p>
			<div
				className="screen-reader-text"
				role="status"
				aria-live="polite"
			>
				{ announcement }
			</div>
			<form
				onSubmit={ ( event ) => {
					event.preventDefault();
					void onSave();
				} }
			>
				<Step
					title={ __( '1. Your email provider', 'smtp-port-helper' ) }
				>
					<div className="smtp-port-helper__fields">
						<ProviderPicker
							presetId={ presetId }
							region={ region }
							disabled={ Boolean( saved.locked.host ) }
							onChange={ choosePreset }
						/>
						<TextField
							ctx={ ctx }
							name="host"
							label={ __( 'Host', 'smtp-port-helper' ) }
							placeholder="smtp.example.com"
						/>
					</div>
				</Step>
				<Step title={ __( '2. Test the ports', 'smtp-port-helper' ) }>
					<PortCheck
						host={ form.host }
						preset={ preset }
						auth={ authForTest }
						onApply={ applyRecommendation }
						announce={ announce }
					/>
					<PortHelp />
				</Step>
				<Step title={ __( '3. Connection', 'smtp-port-helper' ) }>
					<ToggleField
						ctx={ ctx }
						name="enabled"
						label={ __(
							'Send WordPress mail through this SMTP server',
							'smtp-port-helper'
						) }
					/>
					<div className="smtp-port-helper__fields">
						<TextField
							ctx={ ctx }
							name="port"
							label={ __( 'Port', 'smtp-port-helper' ) }
							inputMode="numeric"
						/>
						<SelectControl
							__nextHasNoMarginBottom
							__next40pxDefaultSize
							label={ __( 'Encryption', 'smtp-port-helper' ) }
							value={ form.encryption }
							disabled={ Boolean( saved.locked.encryption ) }
							help={
								errors.encryption ??
								lockedHelp( saved.locked.encryption )
							}
							options={ (
								[
									'starttls',
									'implicit_tls',
									'none',
								] as Encryption[]
							 ).map( ( value ) => ( {
								value,
								label: encryptionLabel( value ),
							} ) ) }
							onChange={ ( value: string ) =>
								setField( 'encryption', value as Encryption )
							}
						/>
					</div>
				</Step>
				<Step title={ __( '4. Login', 'smtp-port-helper' ) }>
					<ToggleField
						ctx={ ctx }
						name="auth"
						label={ __(
							'Log in to the SMTP server (SMTP authentication)',
							'smtp-port-helper'
						) }
					/>
					{ form.auth && (
						<>
							{ saved.password_unreadable && (
								<Notice
									status="warning"
									isDismissible={ false }
								>
									{ __(
										'The saved password can no longer be read, probably because the security keys in wp-config.php changed. Enter the password again and save.',
										'smtp-port-helper'
									) }
								</Notice>
							) }
							<div className="smtp-port-helper__fields is-even">
								<TextField
									ctx={ ctx }
									name="username"
									label={ __(
										'User name',
										'smtp-port-helper'
									) }
									autoComplete="off"
								/>
								<TextField
									ctx={ ctx }
									name="password"
									type="password"
									label={ __(
										'Password',
										'smtp-port-helper'
									) }
									autoComplete="new-password"
									placeholder={
										saved.password_set
											? __(
													'Saved — leave empty to keep',
													'smtp-port-helper'
												)
											: undefined
									}
									help={ passwordHelp }
								/>
							</div>
							{ saved.password_set && ! saved.locked.password && (
								<p>
									{ form.clear_password ? (
										<>
											{ __(
												'The saved password will be removed when you save.',
												'smtp-port-helper'
											) }{ ' ' }
											<Button
												variant="link"
												onClick={ () =>
													setField(
														'clear_password',
														false
													)
												}
											>
												{ __(
													'Keep the saved password',
													'smtp-port-helper'
												) }
											</Button>
										</>
									) : (
										<Button
											variant="link"
											isDestructive
											onClick={ () =>
												setField(
													'clear_password',
													true
												)
											}
										>
											{ __(
												'Remove saved password',
												'smtp-port-helper'
											) }
										</Button>
									) }
								</p>
							) }
						</>
					) }
				</Step>
				<Step title={ __( '5. Sender', 'smtp-port-helper' ) }>
					<div className="smtp-port-helper__fields is-even">
						<TextField
							ctx={ ctx }
							name="from_email"
							type="email"
							label={ __( 'From email', 'smtp-port-helper' ) }
							placeholder="wordpress@example.com"
						/>
						<TextField
							ctx={ ctx }
							name="from_name"
							label={ __( 'From name', 'smtp-port-helper' ) }
						/>
					</div>
					<ToggleField
						ctx={ ctx }
						name="force_from_email"
						label={ __(
							'Use this From email for all mail, even when a plugin sets another',
							'smtp-port-helper'
						) }
					/>
					<ToggleField
						ctx={ ctx }
						name="force_from_name"
						label={ __(
							'Use this From name for all mail, even when a plugin sets another',
							'smtp-port-helper'
						) }
					/>
					<ToggleField
						ctx={ ctx }
						name="return_path"
						label={ __(
							'Set the return path (envelope sender) to the From email',
							'smtp-port-helper'
						) }
						help={ __(
							'Bounces then go to the From address.',
							'smtp-port-helper'
						) }
					/>
				</Step>
				<Card className="smtp-port-helper__step">
					<CardBody>
						<details className="smtp-port-helper__advanced">
							<summary>
								{ __(
									'Advanced settings',
									'smtp-port-helper'
								) }
							</summary>
							<div className="smtp-port-helper__fields is-even">
								<TextField
									ctx={ ctx }
									name="timeout"
									label={ __(
										'Timeout (seconds)',
										'smtp-port-helper'
									) }
									inputMode="numeric"
									help={ __(
										'How long to wait for the server, 1 to 60 seconds.',
										'smtp-port-helper'
									) }
								/>
								<TextField
									ctx={ ctx }
									name="ca_file"
									label={ __(
										'CA certificate file',
										'smtp-port-helper'
									) }
									placeholder="/etc/ssl/certs/my-relay-ca.pem"
									help={ __(
										'Only for a private mail server with its own certificate authority. Leave empty to use the system’s trusted authorities.',
										'smtp-port-helper'
									) }
								/>
							</div>
							<ToggleField
								ctx={ ctx }
								name="fallback"
								label={ __(
									'If the port cannot connect, try the fallback ports',
									'smtp-port-helper'
								) }
							/>
							{ form.fallback && (
								<TextField
									ctx={ ctx }
									name="fallback_ports"
									label={ __(
										'Fallback ports',
										'smtp-port-helper'
									) }
									placeholder="2525, 465"
									help={ __(
										'Port numbers separated by commas, tried in this order.',
										'smtp-port-helper'
									) }
								/>
							) }
							{ ! saved.verify_tls && (
								<Notice
									status="warning"
									isDismissible={ false }
								>
									{ lockedHelp( saved.locked.verify_tls ) }{ ' ' }
									{ __(
										'Certificate verification is switched off.',
										'smtp-port-helper'
									) }
								</Notice>
							) }
						</details>
					</CardBody>
				</Card>
				<div className="smtp-port-helper__actions">
					<Button
						variant="primary"
						type="submit"
						isBusy={ isSaving }
						disabled={ isSaving }
						accessibleWhenDisabled
						__next40pxDefaultSize
					>
						{ __( 'Save settings', 'smtp-port-helper' ) }
					</Button>
					{ dirty && (
						<span className="smtp-port-helper__unsaved">
							{ __( 'Unsaved changes', 'smtp-port-helper' ) }
						</span>
					) }
				</div>
			</form>
			<Step title={ __( '6. Send a test email', 'smtp-port-helper' ) }>
				<SendTestEmail dirty={ dirty } announce={ announce } />
			</Step>
			<Snackbars />
		</div>
	);
}
