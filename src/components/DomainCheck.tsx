import { Button, Notice } from '@wordpress/components';
import { useCallback, useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { getDomainCheck } from '../api';
import type { DnsRecordToPublish, DomainCheck as Report } from '../types';

const STATUS_LABELS: Record< Report[ 'status' ], string > = {
	pass: __( 'Pass', 'smtp-port-helper' ),
	warn: __( 'Warning', 'smtp-port-helper' ),
	fail: __( 'Fail', 'smtp-port-helper' ),
};

/**
 * One record to publish, with a copy button (shown selected where the clipboard is not there).
 * @param props        The component's props.
 * @param props.record The record.
 */
export function RecordToPublish( { record }: { record: DnsRecordToPublish } ) {
	const [ copied, setCopied ] = useState( false );
	const copy = () => {
		const clipboard = window.navigator.clipboard;
		if ( clipboard && window.isSecureContext ) {
			clipboard.writeText( record.value ).then(
				() => setCopied( true ),
				() => setCopied( false )
			);
		}
	};
	return (
		<div className="smtp-port-helper__dns-record">
			<p>
				{ sprintf(
					/* translators: 1: DNS record type, 2: DNS name. */
					__( 'Publish a %1$s record at %2$s:', 'smtp-port-helper' ),
					record.type,
					record.name
				) }
			</p>
			<code>{ record.value }</code>{ ' ' }
			<Button variant="tertiary" onClick={ copy } size="small">
				{ __( 'Copy value', 'smtp-port-helper' ) }
			</Button>
			<span role="status" aria-live="polite">
				{ copied && __( 'Copied.', 'smtp-port-helper' ) }
			</span>
		</div>
	);
}

/**
 * "Sent — and will it be received?": the From domain's SPF, DKIM, DMARC and MX for the saved
 * host, each with what it means and the record to publish. Runs once when shown.
 */
export function DomainCheck() {
	const [ report, setReport ] = useState< Report | null >( null );
	const [ error, setError ] = useState< string | null >( null );
	const [ running, setRunning ] = useState( false );

	const run = useCallback( () => {
		setRunning( true );
		setError( null );
		getDomainCheck().then(
			( value ) => {
				setReport( value );
				setRunning( false );
			},
			( reason: { message?: string } ) => {
				setError(
					reason?.message ??
						__( 'The domain check failed.', 'smtp-port-helper' )
				);
				setRunning( false );
			}
		);
	}, [] );

	useEffect( () => run(), [ run ] );

	return (
		<section
			className="smtp-port-helper__domain-check"
			aria-busy={ running }
		>
			<h3>
				{ __( 'Sent — and will it be received?', 'smtp-port-helper' ) }
			</h3>
			{ running && (
				<p>
					{ __(
						'Checking the DNS records of your From domain…',
						'smtp-port-helper'
					) }
				</p>
			) }
			{ error && (
				<Notice status="error" isDismissible={ false }>
					{ error }
				</Notice>
			) }
			{ report && (
				<>
					<p>
						{ sprintf(
							/* translators: 1: From domain, 2: SMTP host. */
							__(
								'Mail from %1$s through %2$s:',
								'smtp-port-helper'
							),
							report.from_domain,
							report.host
						) }
					</p>
					<ul className="smtp-port-helper__findings">
						{ report.findings.map( ( finding, index ) => (
							<li
								key={ `${ finding.check }-${ index }` }
								className={ `is-${ finding.status }` }
							>
								<strong>
									{ STATUS_LABELS[ finding.status ] }
								</strong>{ ' ' }
								{ finding.summary }
								{ finding.status !== 'pass' && (
									<p>{ finding.meaning }</p>
								) }
								{ finding.record && (
									<RecordToPublish
										record={ finding.record }
									/>
								) }
							</li>
						) ) }
					</ul>
				</>
			) }
			<Button
				variant="secondary"
				onClick={ run }
				disabled={ running }
				accessibleWhenDisabled
				__next40pxDefaultSize
			>
				{ __( 'Check again', 'smtp-port-helper' ) }
			</Button>
		</section>
	);
}
