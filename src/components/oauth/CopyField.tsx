import { Button, TextControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

/**
 * A value to copy into another site's form (the redirect URI): read-only, with a Copy button.
 * Where the clipboard is not available (an http:// admin), the value is selected to copy by hand.
 */
export function CopyField( {
	label,
	value,
}: {
	label: string;
	value: string;
} ) {
	const [ copied, setCopied ] = useState( false );
	const [ input, setInput ] = useState< HTMLInputElement | null >( null );
	const copy = () => {
		const clipboard = window.navigator.clipboard;
		const selectByHand = () => {
			input?.focus();
			input?.select();
		};
		if ( ! clipboard || ! window.isSecureContext ) {
			selectByHand();
			return;
		}
		clipboard
			.writeText( value )
			.then( () => setCopied( true ), selectByHand );
	};
	return (
		<div className="smtp-port-helper__copy-field">
			<TextControl
				__nextHasNoMarginBottom
				__next40pxDefaultSize
				label={ label }
				value={ value }
				readOnly
				ref={ setInput }
				onChange={ () => undefined }
				onFocus={ ( event ) => event.target.select() }
			/>
			<Button variant="secondary" onClick={ copy } __next40pxDefaultSize>
				{ __( 'Copy', 'smtp-port-helper' ) }
			</Button>
			<span role="status" aria-live="polite">
				{ copied && __( 'Copied.', 'smtp-port-helper' ) }
			</span>
		</div>
	);
}
