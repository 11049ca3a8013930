import { Button } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

/**
 * Copies the server's Markdown report of the test (no password, the user name shortened) for a
 * support ticket to the web host or the mail provider. Where the clipboard is not available (an
 * http:// admin, an old browser), the report is shown selected, to copy by hand.
 * @param props          The component's props.
 * @param props.markdown The report.
 */
export function CopyReport( { markdown }: { markdown: string } ) {
	const [ state, setState ] = useState< 'idle' | 'copied' | 'manual' >(
		'idle'
	);
	const copy = () => {
		const clipboard = window.navigator.clipboard;
		if ( ! clipboard || ! window.isSecureContext ) {
			setState( 'manual' );
			return;
		}
		clipboard.writeText( markdown ).then(
			() => setState( 'copied' ),
			() => setState( 'manual' )
		);
	};
	return (
		<div className="smtp-port-helper__copy-report">
			<Button variant="tertiary" onClick={ copy } __next40pxDefaultSize>
				{ __(
					'Copy report for a support request',
					'smtp-port-helper'
				) }
			</Button>
			<span role="status" aria-live="polite">
				{ state === 'copied' &&
					__(
						'Copied. The report has no password and shows only the first letters of the user name.',
						'smtp-port-helper'
					) }
			</span>
			{ state === 'manual' && (
				<textarea
					className="smtp-port-helper__report-text"
					aria-label={ __(
						'Port test report (select and copy)',
						'smtp-port-helper'
					) }
					readOnly
					rows={ 8 }
					value={ markdown }
					ref={ ( element ) => element?.select() }
				/>
			) }
		</div>
	);
}
