import {
	Button,
	Card,
	CardBody,
	CardHeader,
	Notice,
	Spinner,
	TextControl,
} from '@wordpress/components';
import { useDispatch } from '@wordpress/data';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { store as noticesStore } from '@wordpress/notices';

import { fieldErrors, getSettings, isRestError, saveSettings } from '../api';
import type { SettingsResponse } from '../types';
import { Snackbars } from './Snackbars';

interface FormState {
	host: string;
	/** Kept as typed: the server validates and names the field when it is not a port. */
	port: string;
}

function toForm( settings: SettingsResponse ): FormState {
	return { host: settings.host, port: String( settings.port ) };
}

export function SettingsApp() {
	const [ saved, setSaved ] = useState< SettingsResponse | null >( null );
	const [ form, setForm ] = useState< FormState >( { host: '', port: '' } );
	const [ loadError, setLoadError ] = useState< string | null >( null );
	const [ errors, setErrors ] = useState< Record< string, string > >( {} );
	const [ isSaving, setIsSaving ] = useState( false );
	const { createSuccessNotice, createErrorNotice } =
		useDispatch( noticesStore );

	useEffect( () => {
		getSettings()
			.then( ( settings ) => {
				setSaved( settings );
				setForm( toForm( settings ) );
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

	if ( loadError ) {
		return (
			<Notice status="error" isDismissible={ false }>
				{ loadError }
			</Notice>
		);
	}
	if ( ! saved ) {
		return <Spinner />;
	}

	const onSave = async () => {
		setIsSaving( true );
		setErrors( {} );
		const port = form.port.trim();
		try {
			const settings = await saveSettings( {
				host: form.host.trim(),
				port: /^\d+$/.test( port ) ? Number( port ) : port,
			} );
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

	const lockedHelp = ( constant: string | undefined ) =>
		constant
			? sprintf(
					/* translators: %s: name of a PHP constant. */
					__( 'Set by %s in wp-config.php.', 'smtp-port-helper' ),
					constant
				)
			: undefined;

	return (
		<div className="smtp-port-helper">
			<h1>{ __( 'SMTP Port Helper', 'smtp-port-helper' ) }</h1>
			<Card>
				<CardHeader>
					<h2 className="smtp-port-helper__card-title">
						{ __( 'SMTP server', 'smtp-port-helper' ) }
					</h2>
				</CardHeader>
				<CardBody>
					<form
						onSubmit={ ( event ) => {
							event.preventDefault();
							void onSave();
						} }
					>
						<div className="smtp-port-helper__fields">
							<TextControl
								__nextHasNoMarginBottom
								__next40pxDefaultSize
								label={ __( 'Host', 'smtp-port-helper' ) }
								value={ form.host }
								placeholder="smtp.example.com"
								disabled={ Boolean( saved.locked.host ) }
								help={
									errors.host ??
									lockedHelp( saved.locked.host )
								}
								aria-invalid={ Boolean( errors.host ) }
								onChange={ ( host ) =>
									setForm( { ...form, host } )
								}
							/>
							<TextControl
								__nextHasNoMarginBottom
								__next40pxDefaultSize
								label={ __( 'Port', 'smtp-port-helper' ) }
								value={ form.port }
								inputMode="numeric"
								disabled={ Boolean( saved.locked.port ) }
								help={
									errors.port ??
									lockedHelp( saved.locked.port )
								}
								aria-invalid={ Boolean( errors.port ) }
								onChange={ ( port ) =>
									setForm( { ...form, port } )
								}
							/>
						</div>
						<div className="smtp-port-helper__actions">
							<Button
								variant="primary"
								type="submit"
								isBusy={ isSaving }
								disabled={ isSaving }
								__next40pxDefaultSize
							>
								{ __( 'Save settings', 'smtp-port-helper' ) }
							</Button>
						</div>
					</form>
				</CardBody>
			</Card>
			<Snackbars />
		</div>
	);
}
