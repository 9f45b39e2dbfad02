console.log('never runs')
