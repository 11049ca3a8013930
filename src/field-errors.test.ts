import { fieldErrors } from './field-errors';
import type { PortResult, PortTestReport } from './types';

const notFound = { cause: 'host_name' } as PortResult;

function tested( host: string, results: PortResult[] ) {
	return {
		report: { host, results } as PortTestReport,
		running: false,
		fieldErrors: {},
	};
}

describe( 'field errors', () => {
	it( 'says at the Host field that the last test of this host found no such name', () => {
		const errors = fieldErrors(
			{},
			tested( 'smtp.exmaple.com', [ notFound, notFound ] ),
			{ host: 'SMTP.exmaple.com', password: '' }
		);
		expect( errors.host ).toMatch( /did not find this host name/ );
	} );

	it( 'says nothing of another host, a running test, or a port that answered', () => {
		const form = { host: 'smtp.example.com', password: '' };
		expect(
			fieldErrors( {}, tested( 'smtp.other.com', [ notFound ] ), form )
		).toEqual( {} );
		expect(
			fieldErrors(
				{},
				{
					...tested( 'smtp.example.com', [ notFound ] ),
					running: true,
				},
				form
			)
		).toEqual( {} );
		expect(
			fieldErrors(
				{},
				tested( 'smtp.example.com', [
					notFound,
					{ cause: 'none' } as PortResult,
				] ),
				form
			)
		).toEqual( {} );
	} );

	it( 'keeps the save’s own error and shows a refused password only while none is typed', () => {
		const portTest = {
			...tested( 'smtp.example.com', [ notFound ] ),
			fieldErrors: { 'auth.password': 'The server refused it.' },
		};
		expect(
			fieldErrors( { host: 'Not a host name.' }, portTest, {
				host: 'smtp.example.com',
				password: '',
			} )
		).toEqual( {
			host: 'Not a host name.',
			password: 'The server refused it.',
		} );
		expect(
			fieldErrors( {}, portTest, {
				host: 'smtp.example.com',
				password: 'typed',
			} ).password
		).toBeUndefined();
	} );
} );
